"""The live runner's settings as one typed value (platform/config/settings/base.py reads the environment)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class RunnerSettings:
    lease_seconds: int
    watchdog_seconds: int
    lookahead_segments: int
    rtmp_max_attempts: int
    rtmp_give_up_seconds: int
    preview_window_segments: int
    allow_private_hosts: bool
    answer_max_wait_seconds: int
    # Frames the runner renders, encodes and sends at a time within a segment (0: whole segments), and how far ahead
    # of the wall clock (ms) a part is rendered: an "at once" line cuts in at the next part not rendered yet
    # (docs/live-runner.md "At once").
    part_frames: int = 6
    ahead_ms: int = 1200

    @classmethod
    def load(cls) -> RunnerSettings:
        def number(name: str, minimum: int) -> int:
            value = getattr(settings, name, None)
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise ImproperlyConfigured(f"{name} must be an integer >= {minimum}, not {value!r}.")
            return value

        loaded = cls(
            lease_seconds=number("LIVE_LEASE_SECONDS", 2),
            watchdog_seconds=number("LIVE_WATCHDOG_SECONDS", 1),
            lookahead_segments=number("LIVE_LOOKAHEAD_SEGMENTS", 0),
            rtmp_max_attempts=number("LIVE_RTMP_MAX_ATTEMPTS", 1),
            rtmp_give_up_seconds=number("LIVE_RTMP_GIVE_UP_SECONDS", 1),
            preview_window_segments=number("LIVE_PREVIEW_WINDOW_SEGMENTS", 3),
            allow_private_hosts=bool(getattr(settings, "RTMP_ALLOW_PRIVATE", False)),
            answer_max_wait_seconds=number("LIVE_ANSWER_MAX_WAIT_SECONDS", 5),
            part_frames=number("LIVE_PART_FRAMES", 0),
            ahead_ms=number("LIVE_AHEAD_MS", 600),
        )
        if loaded.watchdog_seconds >= loaded.lease_seconds * 4:
            raise ImproperlyConfigured("LIVE_WATCHDOG_SECONDS must be well under LIVE_LEASE_SECONDS * 4.")
        return loaded

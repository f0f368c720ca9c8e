"""Helpers of the live runner tests: a live stream of a built avatar pushing to the test's nginx-rtmp, scripted
LiveControls, and the settings a short test runs under."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from streaming.live.control import Interjection, NoControl, QueuedAnswer
from streaming.runner.config import RunnerSettings
from tests.streaming.live.nginx_rtmp import NginxRtmp

KEY = "sk_live_runner_0001"
LINES = [
    {"id": "g", "text": "Hello everyone, welcome!", "language": "en", "intent": "greet"},
    {"id": "f", "text": "Tap follow for more.", "language": "en", "intent": "follow"},
]

# A line long enough to be interrupted (about 10 s of speech), and a short one after it: the cut-in tests' script.
LONG_LINE = {
    "id": "g",
    "text": "Hello everyone, welcome to the live room, we are so glad you are here with us tonight, "
    "make yourselves at home and stay with us for the whole evening.",
    "language": "en",
    "intent": "greet",
}
SHORT_LINE = {"id": "f", "text": "Tap follow for more.", "language": "en", "intent": "follow"}


def runner_settings(**overrides: Any) -> RunnerSettings:
    values: dict[str, Any] = {
        "lease_seconds": 5,
        "watchdog_seconds": 1,
        "lookahead_segments": 1,
        "rtmp_max_attempts": 3,
        "rtmp_give_up_seconds": 10,
        "preview_window_segments": 3,
        "allow_private_hosts": True,
        # Tests run the runner unpaced and cold, after their answers were queued: only the test of the bound sets it.
        "answer_max_wait_seconds": 600,
        "part_frames": 6,
        "ahead_ms": 1200,
    }
    values.update(overrides)
    return RunnerSettings(**values)


def live_stream(personas: dict[str, Any], nginx: NginxRtmp, *, key: str = KEY, lines: list[Any] | None = None) -> Any:
    """A stream of a built avatar (tests.render.helpers.ready_avatar) gone live by bob with his passkey."""
    from streaming.scripts import latest_version
    from streaming.services import create_script
    from streaming.streams import schedule_stream
    from tests.render.helpers import ready_avatar
    from tests.streaming.scripts_factory import approve
    from tests.streaming.streams.helpers import go_live_now, new_stream, ready_operator

    avatar = ready_avatar(personas)
    script = create_script(
        organisation=personas["acme"],
        actor=personas["alice"],
        title="Live runner",
        language="en",
        lines=lines or LINES,
    )
    version = latest_version(script)
    approve(version, personas["alice"])
    base = nginx.url(key).rsplit("/", 1)[0]
    # Landscape: the test sample (640x360) is too small to frame a portrait stream from.
    stream = new_stream(personas, avatar, version, rtmp_url=base, stream_key=key, resolution="720p")
    authenticator = ready_operator(personas)
    stream = schedule_stream(stream=stream, actor=personas["alice"])
    live = go_live_now(stream, personas["bob"], authenticator)
    live.grant_used = avatar.grant_used  # with its passkey authenticator: what revoke_with_passkey needs
    return live


@dataclass
class ScriptedControl(NoControl):
    """A LiveControl whose answers the test sets; records what the runner told it."""

    present: bool = True
    takeover: bool = False
    seconds_left: float | None = None
    interjections: list[Interjection] = field(default_factory=list)
    spoken: list[tuple[int, int]] = field(default_factory=list)
    usage: list[tuple[int, float]] = field(default_factory=list)

    def pending_interjections(self, stream_id: int) -> list[Interjection]:
        """Those not spoken yet: asking does not take them (the runner asks before every part of a segment)."""
        said = {interjection_id for interjection_id, _ in self.spoken}
        return [x for x in self.interjections if x.id not in said]

    def mark_interjection_spoken(self, interjection_id: int, *, sequence: int, at: datetime) -> None:
        self.spoken.append((interjection_id, sequence))

    def operator_present(self, stream_id: int, now: datetime) -> bool:
        return self.present

    def takeover_active(self, stream_id: int) -> bool:
        return self.takeover

    def live_seconds_left(self, stream_id: int, now: datetime) -> float | None:
        return self.seconds_left

    def record_live_usage(
        self, stream_id: int, *, seconds: float, sequence: int, script_version_id: int | None, now: datetime
    ) -> None:
        self.usage.append((sequence, seconds))


@dataclass
class ControlWithAnswers(ScriptedControl):
    """A ScriptedControl that also hands the runner queued answers to viewers' comments, once each."""

    answers: list[QueuedAnswer] = field(default_factory=list)
    answered: list[tuple[int, int]] = field(default_factory=list)

    def pending_answers(self, stream_id: int) -> list[QueuedAnswer]:
        pending, self.answers = self.answers, []
        return pending

    def mark_answer_spoken(self, answer_id: int, *, sequence: int, at: datetime) -> None:
        self.answered.append((answer_id, sequence))

"""Helpers of the metering tests: streams of one Acme avatar of iris whose grant allows `hours_per_day`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.streaming.streams.helpers import approved_version, new_stream, stream_avatar

# A fixed instant (no test depends on the wall clock): 2026-03-10 12:00 in Shanghai.
NOON_SHANGHAI = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)


def streams_on_one_grant(personas: dict[str, Any], *, hours_per_day: int | None, count: int = 2) -> list[Any]:
    """`count` draft streams of the same avatar (hence the same grant), with one approved script version."""
    avatar = stream_avatar(personas, hours_per_day=hours_per_day)
    version = approved_version(personas)
    streams = [new_stream(personas, avatar, version, title=f"Live {n}") for n in range(1, count + 1)]
    for stream in streams:
        stream.version = version
    return streams

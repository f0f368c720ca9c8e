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


FROM, TO = "2026-03-01", "2026-03-31"


def usage_world(personas: dict[str, Any], *, streams: int = 2) -> Any:
    """iris's Acme avatar (grant: 2 hours a day) in `streams` streams with metered segments on 2026-03-10 and one
    on 2026-03-11 (Shanghai), a done short video of it, incidents in Acme's ledger (a pause, a failure, a go-live
    refusal, a gate refusal), and nina, an influencer with nothing of her own."""
    from types import SimpleNamespace

    from accounts.services import create_influencer_profile, create_user
    from consent.services import record_use_refused
    from render.models import ShortVideo
    from streaming.metering import record_live_usage
    from streaming.streams import transition_stream

    made = streams_on_one_grant(personas, hours_per_day=2, count=streams)
    for n, stream in enumerate(made):
        for sequence in range(3):
            record_live_usage(
                stream.pk, seconds=30, sequence=sequence, script_version_id=stream.version.pk, now=NOON_SHANGHAI
            )
        record_live_usage(
            stream.pk,
            seconds=6,
            sequence=3,
            script_version_id=None,
            now=datetime(2026, 3, 10, 16, 30, tzinfo=UTC),  # 00:30 on the 11th in Shanghai
        )
        transition_stream(stream=stream, to="scheduled", actor=personas["alice"], reason="planned")
        if n == 0:
            transition_stream(stream=stream, to="live", actor=personas["bob"], reason="went live")
            transition_stream(stream=stream, to="paused", actor=personas["bob"], reason="operator away")
        else:
            transition_stream(stream=stream, to="failed", actor=None, reason="ingest unreachable")
    avatar = made[0].avatar
    video = ShortVideo.objects.create(
        avatar=avatar,
        brand=personas["acme"],
        grant=avatar.grant,
        platform="douyin",
        script={"script": str(made[0].version.script.public_id), "script_version_number": made[0].version.number},
        status=ShortVideo.Status.DONE,
        duration_s=12.0,
    )
    record_use_refused(
        influencer_id=avatar.influencer_id,
        brand=personas["acme"],
        reason="out_of_scope_platform",
        purpose="livestream_ecommerce",
        platform="kuaishou",
        modalities=["face_likeness"],
        use="stream",
    )
    nina = create_user(email="nina@creators.example", password="nina-password-1", display_name="Nina")
    create_influencer_profile(user=nina, stage_name="Nina")
    return SimpleNamespace(streams=made, avatar=avatar, video=video, grant=avatar.grant, nina=nina)

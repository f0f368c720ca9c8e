"""Iris licensed 1 hour a day. Live use metered per segment (streaming.metering.record_live_usage) within the hour
passes the licence rule; pushing the same day past it fails, naming the day, the hours used and the grant."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from compliance.evaluator import evaluate
from streaming.metering import MAX_SEGMENT_SECONDS, record_live_usage
from tests.streaming.streams.helpers import approved_version, go_live_now, new_stream, ready_operator, stream_avatar


def _outcome(personas: dict[str, Any]) -> Any:
    return next(
        r.outcome for r in evaluate(organisation=personas["acme"]).results if r.rule.id == "CN-CIVIL-LICENSE-TERM"
    )


def test_live_use_beyond_the_licence_hours_of_a_day_fails_the_licence_rule(personas: dict[str, Any]) -> None:
    from streaming.streams import schedule_stream

    avatar = stream_avatar(personas, hours_per_day=1)
    stream = new_stream(personas, avatar, approved_version(personas), operator_ids=[str(personas["bob"].public_id)])
    stream = go_live_now(
        schedule_stream(stream=stream, actor=personas["alice"]), personas["bob"], ready_operator(personas)
    )
    now = timezone.now()
    per_hour = int(3600 // MAX_SEGMENT_SECONDS)
    for sequence in range(per_hour - 1):
        record_live_usage(stream.pk, seconds=MAX_SEGMENT_SECONDS, sequence=sequence, script_version_id=None, now=now)
    assert _outcome(personas).result == "pass"

    for sequence in range(per_hour - 1, per_hour + 2):
        record_live_usage(stream.pk, seconds=MAX_SEGMENT_SECONDS, sequence=sequence, script_version_id=None, now=now)

    outcome = _outcome(personas)
    assert outcome.result == "fail"
    assert "under a licence of 1 h a day" in outcome.detail
    assert outcome.evidence[0].startswith("grant:")

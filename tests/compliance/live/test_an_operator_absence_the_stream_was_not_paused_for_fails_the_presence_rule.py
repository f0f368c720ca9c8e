"""The presence watcher finds no operator on a live stream (stream.presence_lapsed) and pauses it: the presence rule
passes. If the lapse is recorded and the stream carries on unattended (no pause, no end, no return), it fails naming
the lapse."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from audit.models import LedgerEvent
from compliance.evaluator import evaluate
from streaming.operators import pause_for_absence, presence_lapsed
from tests.streaming.operators.helpers import live_stream


def _outcome(personas: dict[str, Any]) -> Any:
    return next(
        r.outcome for r in evaluate(organisation=personas["acme"]).results if r.rule.id == "PLAT-DY-HUMAN-PRESENCE"
    )


def test_an_absence_met_by_a_pause_passes(personas: dict[str, Any]) -> None:
    stream = live_stream(personas)

    assert pause_for_absence(stream_id=stream.pk, now=timezone.now() + timedelta(hours=1)) == "paused"

    outcome = _outcome(personas)
    assert outcome.result == "pass", outcome.detail
    assert "1 operator absence" in outcome.detail


def test_an_operator_absence_the_stream_was_not_paused_for_fails_the_presence_rule(personas: dict[str, Any]) -> None:
    stream = live_stream(personas)

    assert presence_lapsed(stream_id=stream.pk, now=timezone.now() + timedelta(hours=1))  # seen, never paused

    outcome = _outcome(personas)
    assert outcome.result == "fail"
    lapse = LedgerEvent.objects.get(subject=stream.subject, kind="stream.presence_lapsed")
    assert outcome.evidence == (f"ledger:{lapse.pk}",)
    assert "neither paused nor ended" in outcome.detail

"""Bob, real-name verified and bound to the stream, takes it live with his passkey (stream.operator_verified next to
stream.went_live): the dynamic real-name rule passes citing that event; the brand's verification alone would not do
when no stream went live (not applicable)."""

from __future__ import annotations

from typing import Any

from audit.models import LedgerEvent
from compliance.evaluator import evaluate
from tests.streaming.operators.helpers import live_stream


def _outcome(personas: dict[str, Any], rule: str) -> Any:
    return next(r.outcome for r in evaluate(organisation=personas["acme"]).results if r.rule.id == rule)


def test_a_stream_taken_live_with_the_operators_passkey_passes_the_dynamic_real_name_rule(
    personas: dict[str, Any],
) -> None:
    assert _outcome(personas, "CN-LIVEMKT-REALNAME-DYNAMIC").result == "not_applicable"

    stream = live_stream(personas)

    outcome = _outcome(personas, "CN-LIVEMKT-REALNAME-DYNAMIC")
    assert outcome.result == "pass", outcome.detail
    verified = LedgerEvent.objects.get(subject=stream.subject, kind="stream.operator_verified")
    assert f"ledger:{verified.pk}" in outcome.evidence


def test_an_operator_unbound_from_the_stream_after_going_live_fails_it(personas: dict[str, Any]) -> None:
    stream = live_stream(personas)
    stream.operators.remove(personas["bob"])

    outcome = _outcome(personas, "CN-LIVEMKT-REALNAME-DYNAMIC")

    assert outcome.result == "fail"
    assert "not bound to the stream" in outcome.detail

"""CN-AD-ABSOLUTE over a live stream's interjections: a line an operator typed on air was linted before it was
accepted and names the operator, so a segment that speaks it ("i<id>" in its `script_line_ids`) traces to that
record and passes, citing it; an interjection the linter refused, or one that is not on file for this stream,
fails naming the segment."""

from __future__ import annotations

from typing import Any

from tests.compliance.live_answers import live_with_faq
from tests.compliance.streams import results, stream

RULE = "CN-AD-ABSOLUTE"


def _interjection(live: Any, by: Any, *, state: str) -> Any:
    from streaming.models import Interjection

    return Interjection.objects.create(stream=live, text="大家稍等，马上回来", language="zh", by=by, state=state)


def _aired(personas: dict[str, Any], probe: Any, line: str) -> Any:
    """A job whose segments speak `line`, aired by the live stream the probe's lease names."""
    from streaming.models import StreamLease

    job = stream(personas, line=line)
    StreamLease.objects.filter(job=probe).update(job=job)
    return job


def test_an_accepted_interjection_traces_to_its_record(personas: dict[str, Any]) -> None:
    probe = stream(personas)
    live, _faq, _comment = live_with_faq(personas, probe)
    said = _interjection(live, personas["bob"], state="spoken")

    outcome = results(_aired(personas, probe, f"i{said.pk}"))[RULE]

    assert outcome.result == "pass", outcome.detail
    assert "interjection(s), each linted and typed by a named operator" in outcome.detail
    assert f"interjection:{said.public_id}:typed-by:{personas['bob'].pk}" in outcome.evidence


def test_a_refused_or_unknown_interjection_fails(personas: dict[str, Any]) -> None:
    probe = stream(personas)
    live, _faq, _comment = live_with_faq(personas, probe)
    refused = _interjection(live, personas["bob"], state="refused")

    outcome = results(_aired(personas, probe, f"i{refused.pk}"))[RULE]
    assert outcome.result == "fail"
    assert f"interjection {refused.public_id} was refused by the linter" in outcome.detail

    outcome = results(_aired(personas, probe, "i999999"))[RULE]
    assert outcome.result == "fail"
    assert "interjection 999999 is not on file for this stream" in outcome.detail

"""CN-AD-ABSOLUTE ("every spoken line traceable to an approved version or FAQ answer") over a live stream's answers:
the runner ledgers each answer it speaks (`interaction.answer_spoken`: the answer's public id and the segment); an
answer whose text is one the brand approved for its FAQ entry (the catalog ledger's `answer_sha256`) passes, citing
the FAQ; an operator's typed reply (linted before it was queued) passes citing the operator who typed it; an answer
that names nobody and no FAQ, or whose text is not the approved one, fails naming the segment. A segment that
names the answer in its `script_line_ids` is traced the same way."""

from __future__ import annotations

from typing import Any

from tests.compliance.live_answers import live_with_faq as _live
from tests.compliance.live_answers import spoken_answer as _spoken
from tests.compliance.streams import results, stream

RULE = "CN-AD-ABSOLUTE"


def test_an_approved_faq_answer_spoken_live_passes(personas: dict[str, Any]) -> None:
    job = stream(personas)
    _live_stream, faq, comment = _live(personas, job)
    shipping = faq["shipping"]["zh"]
    _spoken(comment, text=shipping.answer, faq=shipping, sequence=1)

    outcome = results(job)[RULE]

    assert outcome.result == "pass", outcome.detail
    assert "1 answer(s) spoken, each an approved FAQ answer" in outcome.detail
    assert f"faq:{shipping.public_id}" in outcome.evidence


def test_an_operators_typed_reply_passes_and_one_naming_nobody_fails(personas: dict[str, Any]) -> None:
    job = stream(personas)
    _live_stream, _faq, comment = _live(personas, job)
    typed = _spoken(comment, text="明天就发货", faq=None, sequence=2, by=personas["bob"])

    outcome = results(job)[RULE]
    assert outcome.result == "pass", outcome.detail
    assert f"answer:{typed.public_id}:typed-by:{personas['bob'].pk}" in outcome.evidence

    nobody = _spoken(comment, text="后天发货", faq=None, sequence=3)
    outcome = results(job)[RULE]
    assert outcome.result == "fail"
    assert outcome.detail == (
        f"segment 3: answer {nobody.public_id} is neither an approved FAQ answer nor an operator's reply"
    )


def test_an_answer_whose_text_is_not_the_approved_one_fails(personas: dict[str, Any]) -> None:
    job = stream(personas)
    _live_stream, faq, comment = _live(personas, job)
    shipping = faq["shipping"]["zh"]
    changed = _spoken(comment, text=shipping.answer + "今天下单立减一半！", faq=shipping, sequence=1)

    outcome = results(job)[RULE]

    assert outcome.result == "fail"
    assert f"answer {changed.public_id}'s text is not an answer approved for FAQ {shipping.public_id}" in outcome.detail


def test_a_segment_naming_an_answer_in_its_lines_is_traced_too(personas: dict[str, Any]) -> None:
    from interaction.models import Answer

    probe = stream(personas)
    _live_stream, faq, comment = _live(personas, probe)
    shipping = faq["shipping"]["zh"]
    answer = _spoken(comment, text=shipping.answer, faq=shipping, sequence=0)
    from streaming.models import StreamLease

    job = stream(personas, line=f"a{answer.pk}")
    StreamLease.objects.filter(job=probe).update(job=job)
    assert results(job)[RULE].result == "pass"

    Answer.objects.filter(pk=answer.pk).update(text="假的回答")
    outcome = results(job)[RULE]
    assert outcome.result == "fail"
    assert outcome.detail.startswith(f"segment 0: answer {answer.public_id}'s text is not an answer approved")

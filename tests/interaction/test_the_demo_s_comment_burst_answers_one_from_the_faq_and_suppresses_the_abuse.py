"""`make demo`'s live stream takes a scripted comment burst (interaction/data/demo_live_comments.jsonl) through the
simulator: against the demo catalog's FAQ (streaming.demo) the lipstick question is answered with the approved
answer, the abusive comment is suppressed, the comparison goes to the operator; summary.json's `comments` lists the
answered comment with its FAQ id, the answer text and the segment it aired in (once the runner marked it spoken)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from interaction.answers import mark_answer_spoken
from interaction.demo_burst import burst_answers_spoken, burst_summary, send_burst
from interaction.models import Answer, RoomSample
from streaming.demo import run_catalog_demo
from streaming.models import FaqEntry
from tests.streaming.operators.helpers import live_stream

pytestmark = pytest.mark.django_db


def test_the_burst_is_decided_and_summarised(personas: dict[str, Any]) -> None:
    run_catalog_demo(brand=personas["acme"], actor=personas["alice"])
    stream = live_stream(personas)
    ids = send_burst(stream, speed=1000.0)
    assert len(ids) == 3
    assert RoomSample.objects.filter(stream=stream).count() == 2

    summary = burst_summary(stream)
    assert [(c["decision"], c["text"]) for c in summary["comments"]] == [
        ("answer", "这个口红会掉色吗？"),
        ("suppressed", ""),  # its text is not repeated
        ("operator", "这个和别家比怎么样"),
    ]
    assert (summary["suppressed"], summary["to_operator"]) == (1, 1)
    entry = FaqEntry.objects.get(product__sku="ACME-LIP-01", language="zh")
    (answered,) = summary["answered"]
    assert (answered["comment"], answered["faq_id"], answered["answer"]) == (
        "这个口红会掉色吗？",
        str(entry.public_id),
        "@用户，" + entry.answer,
    )
    assert answered["spoken_in_segment"] is None
    assert not burst_answers_spoken(stream, published_through=20)

    mark_answer_spoken(Answer.objects.get(stream=stream).pk, sequence=6, at=timezone.now())
    assert burst_summary(stream)["answered"][0]["spoken_in_segment"] == 6
    assert not burst_answers_spoken(stream, published_through=7)  # its first segments are not all out yet
    assert burst_answers_spoken(stream, published_through=8)

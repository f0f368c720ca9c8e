"""An operator's typed line is linted before acceptance. "The best product in the world" (an absolute term) and a
claim that the host is a real person are refused with the linter's finding as a sentence, kept as refused and never
reach the runner; a clean line is accepted and handed to the runner oldest first, with its at-once choice and who
typed it; marking it spoken twice (two workers) ledgers it once; a stream that is not on air takes none."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.live.control import Interjection as RunnerInterjection
from streaming.models import Interjection
from streaming.operator_control import mark_interjection_spoken, pending_interjections
from streaming.operators import InterjectionRefusedError, interject, operator_change_state
from tests.streaming.operators.helpers import kinds, live_stream

pytestmark = pytest.mark.django_db


def test_banned_claims_are_refused_and_clean_lines_reach_the_runner(personas: dict[str, Any]) -> None:
    bob = personas["bob"]
    stream = live_stream(personas)

    with pytest.raises(InterjectionRefusedError) as absolute:
        interject(stream=stream, operator=bob, text="This is the best product in the world", at_once=True)
    assert (absolute.value.status_code, absolute.value.code) == (400, "interjection_refused")
    assert str(absolute.value.detail).startswith("This line was refused: Absolute term “best”")
    assert absolute.value.findings[0]["rule"] == "CN-AD-ABSOLUTE"
    assert "最佳" in absolute.value.findings[0]["zh"]
    with pytest.raises(InterjectionRefusedError) as real_person:
        interject(stream=stream, operator=bob, text="I am a real person, not AI")
    assert "real person" in str(real_person.value.detail)

    first = interject(stream=stream, operator=bob, text="Welcome to everyone who just joined!", at_once=False)
    second = interject(stream=stream, operator=bob, text="Ask me about sizes in the comments.", at_once=True)
    assert first.state == "accepted"
    assert Interjection.objects.filter(state="refused").count() == 2
    pending = pending_interjections(stream.pk)
    assert pending == [
        RunnerInterjection(id=first.pk, text=first.text, at_once=False, by_user_id=bob.pk),
        RunnerInterjection(id=second.pk, text=second.text, at_once=True, by_user_id=bob.pk),
    ]

    at = timezone.now()
    mark_interjection_spoken(second.pk, sequence=41, at=at)
    mark_interjection_spoken(second.pk, sequence=42, at=at + timedelta(seconds=2))
    second.refresh_from_db()
    assert (second.state, second.spoken_sequence) == ("spoken", 41)
    assert [i.id for i in pending_interjections(stream.pk)] == [first.pk]

    names = [k for k, _ in kinds(stream)]
    assert names.count("stream.interjection_refused") == 2
    assert names.count("stream.interjection_accepted") == 2
    assert names.count("stream.interjection_spoken") == 1
    refused = LedgerEvent.objects.filter(subject=stream.subject, kind="stream.interjection_refused").order_by("seq")
    assert refused[0].payload_data["text"] == "This is the best product in the world"
    assert refused[0].payload_data["findings"] == ["CN-AD-ABSOLUTE/block"]
    assert refused[0].actor == f"user:{bob.public_id}"
    spoken = LedgerEvent.objects.get(subject=stream.subject, kind="stream.interjection_spoken").payload_data
    assert (spoken["sequence"], spoken["by"]) == (41, str(bob.public_id))


def test_an_ended_stream_takes_no_interjection(personas: dict[str, Any]) -> None:
    bob = personas["bob"]
    stream = live_stream(personas)
    stream = operator_change_state(stream=stream, operator=bob, to="ended", reason="show over")
    with pytest.raises(DomainError) as over:
        interject(stream=stream, operator=bob, text="One more thing")
    assert (over.value.status_code, over.value.code) == (409, "stream_not_on_air")
    for text, code in (
        ("   ", "interjection_empty"),
        ("x" * 501, "interjection_too_long"),
        ("a\x00b", "invalid_interjection"),
    ):
        with pytest.raises(DomainError) as bad:
            interject(stream=live_again(personas), operator=bob, text=text)
        assert (bad.value.status_code, bad.value.code) == (400, code)


def live_again(personas: dict[str, Any]) -> Any:
    from streaming.models import Stream

    live = Stream.objects.filter(state="live").first()
    return live if live is not None else live_stream(personas)

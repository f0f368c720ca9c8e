"""The presence timeout is a whole number of seconds from 10 to 300: 0 (off), 9, 301, a fraction, a word or a boolean
is refused with a sentence that says the range, and nothing changes; a valid value is ledgered with the previous one
and governs presence at once. The database refuses an out-of-range value too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.models import Stream
from streaming.operator_control import operator_present
from streaming.operators import heartbeat, set_presence_timeout
from tests.streaming.operators.helpers import live_stream

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [0, 9, 301, "12.5", "soon", True, None, -1])
def test_out_of_range_or_not_a_number_is_refused(personas: dict[str, Any], value: object) -> None:
    stream = live_stream(personas)
    with pytest.raises(DomainError) as refused:
        set_presence_timeout(stream=stream, actor=personas["bob"], seconds=value)
    assert (refused.value.status_code, refused.value.code) == (400, "invalid_presence_timeout")
    assert "from 10 to 300" in str(refused.value.detail)
    assert "cannot be switched off" in str(refused.value.detail)
    assert Stream.objects.get(pk=stream.pk).presence_timeout_s == 60


def test_a_valid_timeout_is_ledgered_and_applies(personas: dict[str, Any]) -> None:
    stream = live_stream(personas)
    stream = set_presence_timeout(stream=stream, actor=personas["alice"], seconds="10")
    assert stream.presence_timeout_s == 10
    event = LedgerEvent.objects.get(subject=stream.subject, kind="stream.presence_timeout_set")
    assert event.payload_data == {"stream": str(stream.public_id), "timeout_s": 10, "previous": 60}
    assert event.actor == f"user:{personas['alice'].public_id}"
    t0 = timezone.now()
    heartbeat(stream=stream, operator=personas["bob"], now=t0)
    assert operator_present(stream.pk, t0 + timedelta(seconds=9))
    assert not operator_present(stream.pk, t0 + timedelta(seconds=11))

    set_presence_timeout(stream=stream, actor=personas["bob"], seconds=300)
    with pytest.raises(DomainError) as viewer:
        set_presence_timeout(stream=stream, actor=personas["victor"], seconds=30)
    assert viewer.value.status_code == 403


def test_the_database_refuses_an_out_of_range_value(personas: dict[str, Any]) -> None:
    stream = live_stream(personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stream.objects.filter(pk=stream.pk).update(presence_timeout_s=0)

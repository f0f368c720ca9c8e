"""A stream whose checks all pass goes live when its assigned, verified operator signs the go-live document with a
passkey: the move and the verification are ledgered, the live runner is queued ("queued"), and a second start is 409."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.streams import check_go_live, schedule_stream
from tests.streaming.streams.helpers import approved_version, go_live_now, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_the_operator_goes_live_once(personas: dict[str, Any]) -> None:
    stream = new_stream(personas, stream_avatar(personas), approved_version(personas))
    bob = personas["bob"]
    authenticator = ready_operator(personas)
    stream = schedule_stream(stream=stream, actor=personas["alice"])
    assert check_go_live(stream=stream, operator=bob) == []

    live = go_live_now(stream, bob, authenticator)

    assert live.state == "live"
    assert live.runner_status == "queued"
    assert live.consent_grant_id is not None
    kinds = list(LedgerEvent.objects.filter(subject=stream.subject).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["stream.created", "stream.scheduled", "stream.went_live", "stream.operator_verified"]
    went = LedgerEvent.objects.get(subject=stream.subject, kind="stream.went_live").payload_data
    assert went["by"] == str(bob.public_id)
    assert went["from"] == "scheduled"
    with pytest.raises(DomainError) as twice:
        go_live_now(live, bob, authenticator)
    assert twice.value.status_code == 409
    assert twice.value.code in {"stream_already_live", "go_live_refused"}

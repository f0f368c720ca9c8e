"""Go-live refuses an operator who is not real-name verified, not an owner or operator of the brand, or not
assigned to the stream, each with its code and a sentence in English and Chinese; a viewer may not even try (403);
an operator's refused attempt is ledgered."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.streams import begin_go_live, check_go_live, schedule_stream
from tests.consent.helpers import RP
from tests.streaming.streams.helpers import approved_version, new_stream, stream_avatar

pytestmark = pytest.mark.django_db


def test_operator_refusals(personas: dict[str, Any]) -> None:
    stream = schedule_stream(
        stream=new_stream(personas, stream_avatar(personas), approved_version(personas)), actor=personas["alice"]
    )
    codes = {r.code: r for r in check_go_live(stream=stream, operator=personas["bob"])}
    assert {"operator_not_verified", "passkey_required"} <= set(codes)
    assert codes["operator_not_verified"].zh
    assert codes["operator_not_verified"].en != codes["operator_not_verified"].zh

    victor = {r.code for r in check_go_live(stream=stream, operator=personas["victor"])}
    assert {"operator_not_member", "operator_not_assigned"} <= victor
    charlie = {r.code for r in check_go_live(stream=stream, operator=personas["charlie"])}
    assert "operator_not_member" in charlie

    with pytest.raises(DomainError) as viewer:
        begin_go_live(stream=stream, operator=personas["victor"], rp=RP)
    assert (viewer.value.status_code, viewer.value.code) == (403, "permission_denied")
    with pytest.raises(DomainError) as refused:
        begin_go_live(stream=stream, operator=personas["bob"], rp=RP)
    assert (refused.value.status_code, refused.value.code) == (409, "go_live_refused")
    event = LedgerEvent.objects.get(subject=stream.subject, kind="stream.go_live_refused").payload_data
    assert "operator_not_verified" in event["codes"]
    assert event["operator"] == str(personas["bob"].public_id)
    stream.refresh_from_db()
    assert stream.state == "scheduled"

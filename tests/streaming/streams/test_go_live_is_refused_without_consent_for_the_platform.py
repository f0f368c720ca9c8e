"""A stream on a platform the influencer's consent does not name fails the consent check with the brand's neutral
answer (no_consent_for_you), and so does a stream whose consent was revoked; the stream stays scheduled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from common.api import DomainError
from consent import gate
from streaming.streams import check_go_live, schedule_stream
from tests.consent.helpers import revoke_with_passkey
from tests.streaming.streams.helpers import approved_version, go_live_now, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_no_consent_no_go_live(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)  # the grant names Douyin and Taobao
    authenticator = ready_operator(personas)
    bob = personas["bob"]
    wechat = schedule_stream(
        stream=new_stream(
            personas, avatar, version, platform="wechat_channels", acknowledgements={"low_quality_content_risk": True}
        ),
        actor=personas["alice"],
    )
    assert [r.code for r in check_go_live(stream=wechat, operator=bob)] == ["no_consent_for_you"]
    with pytest.raises(DomainError) as refused:
        go_live_now(wechat, bob, authenticator)
    assert refused.value.code == "go_live_refused"

    now = timezone.now()
    douyin = schedule_stream(
        stream=new_stream(
            personas, avatar, version, starts_at=now + timedelta(hours=3), stops_at=now + timedelta(hours=4)
        ),
        actor=personas["alice"],
    )
    assert check_go_live(stream=douyin, operator=bob) == []
    grant = avatar.grant_used
    revoke_with_passkey(grant, grant.authenticator, personas["iris"])
    gate.clear_cache()
    assert "no_consent_for_you" in [r.code for r in check_go_live(stream=douyin, operator=bob)]
    wechat.refresh_from_db()
    assert wechat.state == "scheduled"

"""A consent that covers livestreams but not short videos refuses a short video before anything is queued: the brand
hears the gate's neutral answer (403 no_consent_for_you), the influencer's ledger keeps the detailed reason, and the
script source is not even asked."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from render.errors import ConsentRefused
from render.models import ShortVideo
from render.services import submit_short_video
from tests.render.helpers import ready_avatar
from tests.render.short_video.helpers import MemoryScriptSource, approved_script


def test_a_livestream_only_consent_refuses_a_short_video(personas: dict[str, Any], scripts: MemoryScriptSource) -> None:
    avatar = ready_avatar(personas)  # the grant's purposes: livestream_ecommerce only
    script = scripts.add(approved_script(personas["acme"]))

    with pytest.raises(ConsentRefused) as refused:
        submit_short_video(avatar=avatar, actor=personas["bob"], script=script, orientation="landscape")

    assert refused.value.status_code == 403
    assert refused.value.code == "no_consent_for_you"
    assert "purpose" not in str(refused.value.detail)  # neutral: the brand does not learn what the consent covers
    assert not ShortVideo.objects.exists()
    assert scripts.voicing_checks == []
    event = LedgerEvent.objects.filter(kind="consent.use_refused").order_by("-seq").first()
    assert event is not None
    assert event.payload_data["reason"] == "out_of_scope_purpose"
    assert event.payload_data["purpose"] == "short_video"
    assert event.payload_data["use"] == "short_video_request"

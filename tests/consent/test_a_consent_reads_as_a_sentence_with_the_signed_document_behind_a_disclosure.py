"""A consent is shown as one plain sentence (who may use what, where, for what, when, within which limits) in the
reader's language, with the canonical document behind a <details> disclosure; pages are titled by the brand, not
the UUID; an unsigned draft is never headed "Signed document", can be continued or discarded, and no brand sees it;
a consent waiting for review says which check failed and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from consent.summary import scope_summary
from tests.consent.helpers import active_grant, draft_grant, skip_statement

pytestmark = [pytest.mark.django_db]

SHANGHAI = ZoneInfo("Asia/Shanghai")
GLOBEX_SCOPE = {
    "brands": [{"id": "b1", "name": "Globex", "legal_name": "Globex Foods"}],
    "modalities": ["face_likeness", "voice"],
    "platforms": ["douyin", "kuaishou"],
    "purposes": ["livestream_ecommerce"],
    "valid_from": datetime(2026, 12, 7, 0, 0, tzinfo=SHANGHAI).isoformat(),
    "valid_until": datetime(2027, 6, 6, 0, 0, tzinfo=SHANGHAI).isoformat(),
    "limits": {"hours_per_day": 4, "excluded_product_categories": ["alcohol", "tobacco"]},
}


def test_the_scope_reads_as_one_sentence_in_english_and_chinese() -> None:
    with translation.override("en"):
        assert scope_summary(GLOBEX_SCOPE) == (
            "Globex Foods may use your face and voice on Douyin and Kuaishou for livestream selling from "
            "7 Dec 2026 to 6 Jun 2027, at most 4 hours a day, never for alcohol or tobacco."
        )
    with translation.override("zh-hans"):
        assert scope_summary(GLOBEX_SCOPE) == (
            "Globex Foods可在抖音和快手上将你的面部和声音用于直播带货，期限为2026年12月7日至2027年6月6日，"
            "每天最多4小时，不得用于alcohol或tobacco。"
        )


def test_a_signed_consent_page_is_titled_by_the_brand_with_the_document_behind_a_disclosure(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    grant = active_grant(personas, template, passkey, excluded_product_categories=("alcohol",))
    client.force_login(personas["iris"])
    html = client.get(f"/consent/grants/{grant.public_id}/").content.decode()
    assert "<title>Consent for Acme" in html
    assert "Acme Trading (Shanghai) Co., Ltd. may use your face and body movements and gestures on Douyin and" in html
    assert "never for alcohol." in html
    assert "<summary>Signed document</summary>" in html
    disclosure = html.split('data-testid="document-disclosure"')[1]
    assert grant.scope_sha256 in disclosure.split("</details>")[0]


def test_an_unsigned_draft_says_so_can_be_continued_and_is_not_shown_to_the_brand(
    personas: dict[str, Any], template: Any, client: Any
) -> None:
    draft = draft_grant(personas, template)
    client.force_login(personas["iris"])
    html = client.get(f"/consent/grants/{draft.public_id}/").content.decode()
    assert "Signed document" not in html
    assert "Document to sign (not signed)" in html
    assert "Not signed yet: nobody may use it, and no brand sees it." in html
    assert f"/consent/new/?draft={draft.public_id}" in html
    assert 'data-testid="discard"' in html
    listing = client.get("/consent/").content.decode()
    assert f"/consent/new/?draft={draft.public_id}" in listing

    wizard = client.get(f"/consent/new/?draft={draft.public_id}").content.decode()
    assert f'data-draft="{draft.public_id}"' in wizard
    assert 'data-draft-status="pending_statement"' in wizard
    assert "Continue your draft" in wizard
    assert "Acme Trading (Shanghai) Co., Ltd. may use your face" in wizard
    # Someone else's id, or nonsense, opens a fresh wizard.
    assert "data-draft=" not in client.get("/consent/new/?draft=not-a-uuid").content.decode()

    client.force_login(personas["alice"])
    brand_page = client.get(f"/consent/brands/{personas['acme'].public_id}/").content.decode()
    assert str(draft.public_id) not in brand_page
    assert client.get(f"/consent/grants/{draft.public_id}/").status_code == 404


def test_a_consent_waiting_for_review_says_which_check_failed_and_what_to_do(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    from consent.models import ConsentGrant
    from tests.consent.helpers import sign_with_passkey

    grant = skip_statement(draft_grant(personas, template), face="fail")
    ConsentGrant.objects.filter(pk=grant.pk).update(voice_decision="unavailable")
    grant.refresh_from_db()
    grant = sign_with_passkey(grant, passkey, personas["iris"])
    assert grant.status == ConsentGrant.Status.PENDING_REVIEW
    client.force_login(personas["iris"])
    html = client.get(f"/consent/grants/{grant.public_id}/").content.decode()
    assert "Face: the face in your statement video did not match the face in your training sample." in html
    assert "Voice: your voice could not be compared" in html
    assert "Speak for part of your sample, in a quiet room." in html

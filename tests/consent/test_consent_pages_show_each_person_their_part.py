from __future__ import annotations

import re
from typing import Any

import pytest

from tests.consent.helpers import active_grant, draft_grant, sign_with_passkey, skip_statement

pytestmark = [pytest.mark.django_db]


def _no_inline_scripts(html: str) -> bool:
    return all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_the_influencer_sees_their_consents_the_wizard_a_receipt_and_the_revoke_button(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    client.force_login(personas["iris"])

    listing = client.get("/consent/").content.decode()
    wizard = client.get("/consent/new/").content.decode()
    detail = client.get(f"/consent/grants/{grant.public_id}/").content.decode()
    receipt = client.get(f"/consent/grants/{grant.public_id}/receipt/").content.decode()

    assert str(grant.public_id) in listing
    assert template.title in wizard
    assert 'data-testid="revoke"' in detail
    assert "Both signatures verify" in receipt
    assert grant.scope_sha256 in receipt
    assert all(_no_inline_scripts(page) for page in (listing, wizard, detail, receipt))


def test_outsiders_get_404s_and_staff_see_the_review_queue(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    in_review = sign_with_passkey(
        skip_statement(draft_grant(personas, template), face="fail"), passkey, personas["iris"]
    )
    client.force_login(personas["charlie"])
    assert client.get(f"/consent/grants/{grant.public_id}/").status_code == 404
    assert client.get(f"/consent/brands/{personas['acme'].public_id}/").status_code == 404
    assert client.get("/consent/review/").status_code == 403

    client.force_login(personas["victor"])
    brand_page = client.get(f"/consent/brands/{personas['acme'].public_id}/").content.decode()
    assert "Iris Live" in brand_page

    client.force_login(personas["sam"])
    queue = client.get("/consent/review/").content.decode()
    assert str(in_review.public_id) in queue
    assert str(grant.public_id) not in queue

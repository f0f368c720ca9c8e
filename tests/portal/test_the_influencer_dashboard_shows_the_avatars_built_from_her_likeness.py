"""The influencer's dashboard lists the avatars built from her likeness: by which brand, in which state, and the
consent each stands on (linked); with none, it says so. It links to her training sample page, and reads the same
number of queries however many avatars there are (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.consent.helpers import active_grant, published_template, register_passkey

pytestmark = [pytest.mark.django_db]


def _avatar(personas: dict[str, Any], grant: Any, brand: Any, status: str) -> Any:
    from render.models import Avatar

    return Avatar.objects.create(
        influencer=personas["iris"].influencer,
        brand=brand,
        grant=grant,
        purpose="livestream_ecommerce",
        platform="douyin",
        status=status,
    )


def test_her_dashboard_lists_each_avatar_with_its_brand_state_and_consent(
    personas: dict[str, Any], client: Any, settings: Any, tmp_path: Any
) -> None:
    from audit.keys import init_keys
    from render.models import Avatar

    settings.LEDGER_SIGNING_KEY_PATH = tmp_path / "keys" / "ledger-ed25519.pem"
    settings.LEDGER_PUBLIC_KEYS_DIR = tmp_path / "keys" / "ledger-public"
    init_keys()
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost"]
    client.force_login(personas["iris"])

    empty = client.get("/").content.decode()
    assert "No avatar has been built from your likeness." in empty
    assert 'data-testid="sample-upload-link"' in empty
    assert "/consent/sample/" in empty

    grant = active_grant(personas, published_template(personas["sam"]), register_passkey(personas["iris"]))
    _avatar(personas, grant, personas["acme"], Avatar.Status.READY)
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    _avatar(personas, grant, personas["acme"], Avatar.Status.BUILDING)
    _avatar(personas, grant, personas["acme"], Avatar.Status.SHREDDED)
    with CaptureQueriesContext(connection) as three:
        html = client.get("/").content.decode()
    assert len(three.captured_queries) == len(one.captured_queries)

    card = html.split('data-testid="likeness-avatars"')[1].split("</article>")[0]
    assert card.count("<td>Acme</td>") == 3
    assert "Ready" in card
    assert "Building" in card
    assert "Shredded with the consent" in card
    assert f'href="/consent/grants/{grant.public_id}/"' in card
    assert "Active" in card

    # A brand member's dashboard has no such card; her avatars are not listed to other brands' people.
    client.force_login(personas["charlie"])
    assert 'data-testid="likeness-avatars"' not in client.get("/").content.decode()

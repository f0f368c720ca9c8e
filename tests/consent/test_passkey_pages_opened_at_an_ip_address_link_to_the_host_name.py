"""Browsers refuse passkeys at an IP address. The pages that ask for one (the wizard's signing step, revoking a
consent) say so when opened at an IP address and link to the same page at the host name passkeys work on; at a
host name they say nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.consent.helpers import active_grant

pytestmark = [pytest.mark.django_db]

NOTICE = "Passkeys do not work when this site is opened at an IP address"


def test_the_wizard_and_the_revoke_button_link_to_the_host_name(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "192.0.2.10", "veracast.example"]
    settings.WEBAUTHN_ORIGINS = ["https://veracast.example"]
    grant = active_grant(personas, template, passkey)
    client.force_login(personas["iris"])

    wizard = client.get("/consent/new/", HTTP_HOST="192.0.2.10:8000").content.decode()
    assert NOTICE in wizard
    assert 'href="https://veracast.example/consent/new/"' in wizard
    assert "Open this page at veracast.example to sign." in wizard
    detail = client.get(f"/consent/grants/{grant.public_id}/", HTTP_HOST="192.0.2.10:8000").content.decode()
    assert f'href="https://veracast.example/consent/grants/{grant.public_id}/"' in detail

    assert NOTICE not in client.get("/consent/new/", HTTP_HOST="veracast.example").content.decode()

    # No origin configured: the relying-party id on the same port, or localhost for a loopback address.
    settings.WEBAUTHN_ORIGINS = []
    settings.WEBAUTHN_RP_ID = ""
    loopback = client.get("/consent/new/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert 'href="http://localhost:8000/consent/new/"' in loopback
    unknown = client.get("/consent/new/", HTTP_HOST="192.0.2.10:8000").content.decode()
    assert NOTICE in unknown
    assert "ask whoever runs it for the address" in unknown

"""Browser fixtures of the script pages: the portal's page (tests/portal/conftest.py) with a CDP virtual
authenticator that holds alice's passkey.

alice (Acme's owner) is made real-name verified and her passkey registered through the real services in the fixture;
the passkey's private key is then handed to Chromium's virtual authenticator (WebAuthn.addCredential), so the page's
navigator.credentials.get signs with the very key the server knows."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from consent.software_authenticator import SoftwareAuthenticator
from tests.portal.conftest import page  # noqa: F401  (the portal's page fixture)


@pytest.fixture
def alice_passkey(page: Any, personas: dict[str, Any], live_server: Any, settings: Any) -> SoftwareAuthenticator:  # noqa: F811
    from consent import passkeys
    from consent.services import begin_passkey_registration, finish_passkey_registration
    from tests.streaming.scripts_factory import ID_NUMBERS

    # WebAuthn on http://localhost:PORT: rp_id "localhost", and the origin includes the port.
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = [live_server.url]
    alice = personas["alice"]
    from datetime import date

    from accounts.services import record_real_name

    record_real_name(
        user=alice,
        legal_name="Alice Example",
        id_number=ID_NUMBERS[alice.email],
        date_of_birth=date(1985, 2, 2),
        method="id_card_nfc",
        verified_by=personas["sam"],
    )
    rp = passkeys.RelyingParty(rp_id="localhost", origins=(live_server.url,))
    authenticator = SoftwareAuthenticator(origin=live_server.url)
    options = begin_passkey_registration(user=alice, rp=rp)
    finish_passkey_registration(user=alice, rp=rp, credential=authenticator.register(options, origin=live_server.url))

    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    authenticator_id = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    private_key = authenticator.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cdp.send(
        "WebAuthn.addCredential",
        {
            "authenticatorId": authenticator_id,
            "credential": {
                "credentialId": base64.b64encode(authenticator.credential_id).decode(),
                "isResidentCredential": False,
                "rpId": "localhost",
                "privateKey": base64.b64encode(private_key).decode(),
                "signCount": authenticator.sign_count,
            },
        },
    )
    return authenticator

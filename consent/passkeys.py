"""WebAuthn (passkeys) with py_webauthn: relying-party settings, registration, and assertions bound to a document.

An assertion's challenge is SHA-256 of the canonical document being signed, so the authenticator's signature covers
the document itself. The client data is parsed here first so that a wrong origin, a wrong challenge and a bad
signature each get their own stable code; py_webauthn then checks everything again, cryptography included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpRequest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

RP_NAME = "Veracast"


class PasskeyError(ValueError):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class RelyingParty:
    rp_id: str
    origins: tuple[str, ...]


def relying_party(request: HttpRequest | None = None) -> RelyingParty:
    """`WEBAUTHN_RP_ID` / `WEBAUTHN_ORIGINS` from settings; without them, derived from the request's host.

    Deriving from the host is for development and tests (`http://localhost:PORT`, rp_id `localhost`); production
    sets both, so a forged Host header cannot choose the origin an assertion is checked against.
    """
    rp_id = str(getattr(settings, "WEBAUTHN_RP_ID", "") or "")
    origins = tuple(getattr(settings, "WEBAUTHN_ORIGINS", ()) or ())
    if request is not None:
        origin = f"{request.scheme}://{request.get_host()}"
        if not origins:
            origins = (origin,)
        if not rp_id:
            rp_id = urlparse(origin).hostname or "localhost"
    return RelyingParty(rp_id=rp_id or "localhost", origins=origins or ("http://localhost",))


def registration_options(
    *, rp: RelyingParty, user_handle: bytes, user_name: str, display_name: str, challenge: bytes, exclude: list[bytes]
) -> dict[str, Any]:
    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=RP_NAME,
        user_id=user_handle,
        user_name=user_name,
        user_display_name=display_name or user_name,
        challenge=challenge,
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c) for c in exclude],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


@dataclass(frozen=True)
class Registered:
    credential_id: bytes
    public_key: bytes
    sign_count: int


def verify_registration(*, credential: dict[str, Any], challenge: bytes, rp: RelyingParty) -> Registered:
    # Any malformed payload (missing `id`, empty credential, wrong types) is refused with py_webauthn's own reason;
    # the library's exceptions all derive from WebAuthnException, and its parsers raise a few built-in ones too.
    try:
        parsed = parse_registration_credential_json(credential)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=list(rp.origins),
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(
            f"The passkey registration could not be verified: {exc}", code="registration_invalid"
        ) from None
    return Registered(
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )


def assertion_options(*, rp: RelyingParty, challenge: bytes, credential_ids: list[bytes]) -> dict[str, Any]:
    options = generate_authentication_options(
        rp_id=rp.rp_id,
        challenge=challenge,
        allow_credentials=[PublicKeyCredentialDescriptor(id=c) for c in credential_ids],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def credential_id_of(assertion: dict[str, Any]) -> bytes:
    """The credential id of `assertion`, after py_webauthn has checked the payload's shape (its reason if not)."""
    try:
        return parse_authentication_credential_json(assertion).raw_id
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(f"The passkey assertion is malformed: {exc}", code="assertion_invalid") from None


def parse_client_data(assertion: dict[str, Any]) -> dict[str, Any]:
    try:
        raw = base64url_to_bytes(str(assertion["response"]["clientDataJSON"]))
        data = json.loads(raw)
    except (KeyError, ValueError, TypeError):
        raise PasskeyError("The assertion's client data is not readable.", code="assertion_invalid") from None
    if not isinstance(data, dict):
        raise PasskeyError("The assertion's client data is not an object.", code="assertion_invalid")
    return data


@dataclass(frozen=True)
class Asserted:
    new_sign_count: int
    evidence: dict[str, str]


def verify_assertion(
    *,
    assertion: dict[str, Any],
    challenge: bytes,
    rp: RelyingParty,
    public_key: bytes,
    sign_count: int,
) -> Asserted:
    """Verify `assertion` against `challenge`; returns the new counter and what a receipt needs to re-verify it."""
    client_data = parse_client_data(assertion)
    if client_data.get("type") != "webauthn.get":
        raise PasskeyError("The assertion is not an authentication assertion.", code="assertion_invalid")
    if client_data.get("origin") not in rp.origins:
        raise PasskeyError(
            f"The assertion was made on another origin ({client_data.get('origin')!r}).", code="origin_mismatch"
        )
    if client_data.get("challenge") != bytes_to_base64url(challenge):
        raise PasskeyError("The assertion signs a different document than this one.", code="challenge_mismatch")
    try:
        verified = verify_authentication_response(
            credential=assertion,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=list(rp.origins),
            credential_public_key=public_key,
            credential_current_sign_count=sign_count,
            require_user_verification=True,
        )
    except InvalidAuthenticationResponse as exc:
        code = "assertion_replayed" if "sign count" in str(exc).lower() else "assertion_invalid"
        raise PasskeyError(f"The passkey assertion was refused: {exc}", code=code) from None
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(f"The passkey assertion is malformed: {exc}", code="assertion_invalid") from None
    response = assertion["response"]
    return Asserted(
        new_sign_count=verified.new_sign_count,
        evidence={
            "credential_id": bytes_to_base64url(verified.credential_id),
            "authenticator_data": str(response["authenticatorData"]),
            "client_data_json": str(response["clientDataJSON"]),
            "signature": str(response["signature"]),
            "public_key_cose": bytes_to_base64url(public_key),
            "rp_id": rp.rp_id,
            "origin": str(client_data.get("origin")),
        },
    )

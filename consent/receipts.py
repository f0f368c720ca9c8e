"""Consent receipts: the countersigned document's shape and `verify_receipt`, which re-checks a receipt offline.

This module is pure (no Django): an influencer, a brand or an auditor can run it on a downloaded receipt with only
`cryptography`, `rfc8785` and `webauthn` installed. Recipe, for people:

1. `scope_canonical` must equal the RFC 8785 text of `scope`, and SHA-256 of it must equal `scope_sha256`.
2. Influencer signature. WebAuthn: `clientDataJSON.challenge` is base64url(SHA-256(scope_canonical)), its type is
   `webauthn.get` and its origin the one recorded; `authenticatorData` starts with SHA-256(rp_id) and has the
   user-present and user-verified flags; the COSE public key verifies `signature` over
   authenticatorData || SHA-256(clientDataJSON). Ed25519: the public key verifies `signature` over the bytes of
   `scope_canonical`.
3. Platform countersignature: `signed_document` names this grant, scope hash, template hash and the SHA-256 of the
   influencer's signature; the Ed25519 public key (key id = first 16 hex digits of SHA-256 of its 32 raw bytes)
   verifies `signature` over the bytes of `signed_document`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

RECEIPT_TYPE = "veracast.consent.receipt/v1"
COUNTERSIGNATURE_TYPE = "veracast.consent.countersignature/v1"
_FLAG_USER_PRESENT = 0x01
_FLAG_USER_VERIFIED = 0x04

RECIPE = [
    "scope_canonical == RFC 8785 JSON of scope, and sha256(scope_canonical) == scope_sha256",
    "WebAuthn: clientDataJSON.type == 'webauthn.get', clientDataJSON.challenge == base64url(sha256(scope_canonical)), "
    "clientDataJSON.origin == origin, authenticatorData[0:32] == sha256(rp_id), flags UP and UV set, and the COSE "
    "public key verifies signature over authenticatorData || sha256(clientDataJSON)",
    "Ed25519: public_key verifies signature over the UTF-8 bytes of scope_canonical",
    "Platform: signed_document names grant, scope_sha256, template sha256 and sha256 of the influencer signature; "
    "key_id == sha256(public_key)[:16 hex]; public_key verifies signature over the UTF-8 bytes of signed_document",
    'Offline: python -c "import json,sys; from consent.receipts import verify_receipt; '
    "print(verify_receipt(open(sys.argv[1]).read()) or 'OK')\" receipt.json",
]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def key_id_for(raw_public_key: bytes) -> str:
    # Same rule as the ledger's key ids (audit.verify.key_id_for), repeated so this module stays standalone.
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


def influencer_signature_bytes(method: str, signature: dict[str, Any]) -> bytes:
    """The raw signature bytes the platform's countersignature commits to."""
    if method == "webauthn":
        return b64url_decode(str(signature["signature"]))
    return base64.b64decode(str(signature["signature"]))


def countersigned_document(
    *,
    grant: str,
    influencer: str,
    scope_sha256: str,
    template_sha256: str,
    signature_method: str,
    influencer_signature: bytes,
    signed_at: str,
) -> str:
    return rfc8785.dumps(
        {
            "type": COUNTERSIGNATURE_TYPE,
            "grant": grant,
            "influencer": influencer,
            "scope_sha256": scope_sha256,
            "template_sha256": template_sha256,
            "signature_method": signature_method,
            "influencer_signature_sha256": hashlib.sha256(influencer_signature).hexdigest(),
            "signed_at": signed_at,
        }
    ).decode("utf-8")


def _verify_webauthn(sig: dict[str, Any], scope_canonical: str) -> list[str]:
    from webauthn.helpers import decode_credential_public_key, decoded_public_key_to_cryptography
    from webauthn.helpers.verify_signature import verify_signature

    problems: list[str] = []
    try:
        client_data_raw = b64url_decode(str(sig["client_data_json"]))
        client_data = json.loads(client_data_raw)
        auth_data = b64url_decode(str(sig["authenticator_data"]))
        signature = b64url_decode(str(sig["signature"]))
        cose = b64url_decode(str(sig["public_key_cose"]))
        rp_id = str(sig["rp_id"])
        origin = str(sig["origin"])
    except (KeyError, ValueError, TypeError) as exc:
        return [f"influencer signature: unreadable WebAuthn evidence ({exc})"]
    expected_challenge = b64url(hashlib.sha256(scope_canonical.encode("utf-8")).digest())
    if client_data.get("type") != "webauthn.get":
        problems.append("influencer signature: clientDataJSON.type is not webauthn.get")
    if client_data.get("challenge") != expected_challenge:
        problems.append("influencer signature: the challenge is not the SHA-256 of the scope document")
    if client_data.get("origin") != origin:
        problems.append("influencer signature: clientDataJSON.origin differs from the recorded origin")
    if len(auth_data) < 37 or auth_data[:32] != hashlib.sha256(rp_id.encode("utf-8")).digest():
        problems.append("influencer signature: authenticatorData is not for the recorded rp_id")
    elif (auth_data[32] & _FLAG_USER_PRESENT) == 0 or (auth_data[32] & _FLAG_USER_VERIFIED) == 0:
        problems.append("influencer signature: the user was not present and verified")
    try:
        decoded = decode_credential_public_key(cose)
        verify_signature(
            public_key=decoded_public_key_to_cryptography(decoded),
            signature_alg=decoded.alg,
            signature=signature,
            data=auth_data + hashlib.sha256(client_data_raw).digest(),
        )
    except InvalidSignature:
        problems.append("influencer signature: the passkey signature does not verify")
    except Exception as exc:
        problems.append(f"influencer signature: the passkey public key is unusable ({exc})")
    return problems


def _verify_ed25519(sig: dict[str, Any], scope_canonical: str) -> list[str]:
    try:
        raw = base64.b64decode(str(sig["public_key"]))
        signature = base64.b64decode(str(sig["signature"]))
        key = Ed25519PublicKey.from_public_bytes(raw)
    except (KeyError, ValueError, TypeError) as exc:
        return [f"influencer signature: unreadable Ed25519 evidence ({exc})"]
    problems = []
    if sig.get("key_id") != key_id_for(raw):
        problems.append("influencer signature: key_id does not match the public key")
    try:
        key.verify(signature, scope_canonical.encode("utf-8"))
    except InvalidSignature:
        problems.append("influencer signature: the Ed25519 signature does not verify")
    return problems


def verify_receipt(receipt_json: str | bytes | dict[str, Any]) -> list[str]:
    """Every problem found in a receipt; an empty list means both signatures verify and every hash matches."""
    try:
        receipt = json.loads(receipt_json) if isinstance(receipt_json, str | bytes) else receipt_json
    except ValueError as exc:
        return [f"the receipt is not JSON ({exc})"]
    if not isinstance(receipt, dict) or receipt.get("type") != RECEIPT_TYPE:
        return ["this is not a Veracast consent receipt"]
    problems: list[str] = []
    try:
        scope = receipt["scope"]
        scope_canonical = str(receipt["scope_canonical"])
        scope_sha256 = str(receipt["scope_sha256"])
        template_sha256 = str(receipt["template"]["sha256"])
        grant = str(receipt["grant"])
        method = str(receipt["influencer_signature"]["method"])
        influencer_sig = receipt["influencer_signature"]
        platform = receipt["platform_countersignature"]
    except (KeyError, TypeError) as exc:
        return [f"the receipt lacks a field ({exc})"]

    try:
        if rfc8785.dumps(scope).decode("utf-8") != scope_canonical:
            problems.append("scope: scope_canonical is not the canonical form of scope")
    except (rfc8785.CanonicalizationError, TypeError, ValueError):
        problems.append("scope: the scope is not canonical-JSON-able")
    if hashlib.sha256(scope_canonical.encode("utf-8")).hexdigest() != scope_sha256:
        problems.append("scope: sha256(scope_canonical) differs from scope_sha256")
    try:
        signed_scope = json.loads(scope_canonical)
    except ValueError:
        signed_scope = {}
    if signed_scope.get("grant") != grant:
        problems.append("scope: the signed document names another grant")
    if (signed_scope.get("template") or {}).get("sha256") != template_sha256:
        problems.append("scope: the signed document names another template")

    if method == "webauthn":
        problems += _verify_webauthn(influencer_sig, scope_canonical)
    elif method == "ed25519":
        problems += _verify_ed25519(influencer_sig, scope_canonical)
    else:
        problems.append(f"influencer signature: unknown method {method!r}")

    try:
        document_text = str(platform["signed_document"])
        document = json.loads(document_text)
        raw = base64.b64decode(str(platform["public_key"]))
        signature = base64.b64decode(str(platform["signature"]))
        key = Ed25519PublicKey.from_public_bytes(raw)
    except (KeyError, ValueError, TypeError) as exc:
        return [*problems, f"platform countersignature: unreadable ({exc})"]
    if platform.get("key_id") != key_id_for(raw):
        problems.append("platform countersignature: key_id does not match the public key")
    try:
        key.verify(signature, document_text.encode("utf-8"))
    except InvalidSignature:
        problems.append("platform countersignature: the signature does not verify")
    expected = {
        "type": COUNTERSIGNATURE_TYPE,
        "grant": grant,
        "scope_sha256": scope_sha256,
        "template_sha256": template_sha256,
        "signature_method": method,
    }
    for field, value in expected.items():
        if document.get(field) != value:
            problems.append(f"platform countersignature: signed_document.{field} does not match the receipt")
    try:
        sig_bytes = influencer_signature_bytes(method, influencer_sig)
        if document.get("influencer_signature_sha256") != hashlib.sha256(sig_bytes).hexdigest():
            problems.append("platform countersignature: it countersigns another influencer signature")
    except (KeyError, ValueError, TypeError):
        problems.append("platform countersignature: the influencer signature is unreadable")
    return problems

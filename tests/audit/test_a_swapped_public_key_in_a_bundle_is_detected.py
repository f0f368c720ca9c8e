"""Replacing the platform's public key in keys/ with another key (to sign a forged manifest) is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.audit.bundles import bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_a_public_key_whose_id_does_not_match_its_name_is_a_swapped_key(bundle: Path) -> None:
    key_id = json.loads((bundle / "MANIFEST.sig").read_text())["key_id"]
    forger = Ed25519PrivateKey.generate()
    (bundle / "keys" / f"{key_id}.pem").write_bytes(
        forger.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signature = {"key_id": key_id, "signature": forger.sign((bundle / "MANIFEST.json").read_bytes()).hex()}
    (bundle / "MANIFEST.sig").write_text(json.dumps(signature))

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert f"The public key keys/{key_id}.pem has key id" in result.stderr
    assert "the key was swapped" in result.stderr

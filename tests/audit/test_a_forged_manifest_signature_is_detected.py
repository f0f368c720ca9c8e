"""A manifest signature made with a key that is not the one it claims fails verification."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.audit.bundles import bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_a_signature_by_another_key_under_the_platform_key_id_is_refused(bundle: Path) -> None:
    signature = json.loads((bundle / "MANIFEST.sig").read_text())
    # The forger edits the manifest (say, to hide a file) and signs it with a key of their own.
    forged = Ed25519PrivateKey.generate().sign((bundle / "MANIFEST.json").read_bytes())
    signature["signature"] = forged.hex()
    (bundle / "MANIFEST.sig").write_text(json.dumps(signature))

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert f"MANIFEST.sig does not verify: the signature over MANIFEST.json is not by key {signature['key_id']}" in (
        result.stderr
    )

"""With --key, a bundle re-signed end to end by someone else (consistent, but not Veracast's) is refused, and
the genuine bundle passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.audit.bundles import bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_a_self_consistent_forgery_fails_only_against_the_pinned_key(bundle: Path, tmp_path: Path) -> None:
    import hashlib

    platform_key_id = json.loads((bundle / "MANIFEST.sig").read_text())["key_id"]
    pinned = tmp_path / "veracast.pem"
    pinned.write_bytes((bundle / "keys" / f"{platform_key_id}.pem").read_bytes())
    assert run_verifier(bundle, "--key", str(pinned)).returncode == 0

    forger = Ed25519PrivateKey.generate()
    raw = forger.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    forged_id = hashlib.sha256(raw).hexdigest()[:16]
    (bundle / "keys" / f"{forged_id}.pem").write_bytes(_pem(forger))
    manifest = json.loads((bundle / "MANIFEST.json").read_text())
    manifest["key_id"] = forged_id
    manifest["files"].append(
        {
            "path": f"keys/{forged_id}.pem",
            "sha256": hashlib.sha256(_pem(forger)).hexdigest(),
            "size": len(_pem(forger)),
        }
    )
    manifest["files"].sort(key=lambda f: f["path"])
    data = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    (bundle / "MANIFEST.json").write_bytes(data)
    (bundle / "MANIFEST.sig").write_text(json.dumps({"key_id": forged_id, "signature": forger.sign(data).hex()}))
    assert run_verifier(bundle).returncode == 0  # internally consistent: only pinning tells it apart

    result = run_verifier(bundle, "--key", str(pinned))

    assert result.returncode == 1
    assert f"MANIFEST.json is signed by key {forged_id}, not by the pinned key {platform_key_id}" in result.stderr

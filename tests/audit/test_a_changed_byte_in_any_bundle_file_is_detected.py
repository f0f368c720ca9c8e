"""Changing one byte of any file in a bundle makes verify.py fail, naming that file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.audit.bundles import bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_one_changed_byte_in_any_file_fails_verification_naming_the_file(bundle: Path, tmp_path: Path) -> None:
    pristine = tmp_path / "pristine_verify.py"
    names = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    assert {"events.jsonl", "proofs.jsonl", "checkpoints.jsonl", "MANIFEST.json", "MANIFEST.sig", "verify.py"} <= set(
        names
    )
    checked = []
    for number, name in enumerate(names):
        copy = tmp_path / f"copy-{number}"
        shutil.copytree(bundle, copy)
        target = copy / name
        data = bytearray(target.read_bytes())
        if not data:
            continue  # an empty file has no byte to change (adding one is the added-content case)
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))

        result = run_verifier(copy, script=pristine)

        assert result.returncode == 1, f"{name}: {result.stdout}"
        assert name in result.stderr, f"{name}: {result.stderr}"
        checked.append(name)
        shutil.rmtree(copy)
    assert len(checked) >= 8

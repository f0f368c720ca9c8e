"""Keys, certificates, vault ciphertext, segments and the demo's outputs are created owner-only (0600 files in 0700
directories): a world-readable key file or biometric blob is one careless backup away from a leak."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

from django.db import transaction

from common.files import write_private
from tests.data_dir import point_settings_at


def _loose(root: Path) -> list[str]:
    """Every file or directory under `root` that its group or other users may read, write or enter."""
    found = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            found.append(f"{path.relative_to(root)} {oct(mode)}")
    return found


def _point_everything_at(settings: Any, root: Path) -> None:
    point_settings_at(settings, root)
    settings.VAULT_MASTER_KEY = os.urandom(32).hex()


def test_init_keys_a_vault_write_and_a_segment_leave_nothing_readable_by_others(
    personas: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    from audit.keys import init_keys
    from consent import vault
    from render.publisher import store_file

    root = tmp_path / "data"
    root.mkdir(mode=0o700)
    _point_everything_at(settings, root)
    old_umask = os.umask(0o022)  # the usual umask: files would be 0644 unless created private
    try:
        lines = init_keys()
        with transaction.atomic(), vault.discard_on_failure():
            vault.store_object(
                influencer=personas["iris"].influencer, kind="sample", source=io.BytesIO(b"a face" * 1000)
            )
        store_file("stream-1/seg-000001.m4s", b"segment bytes")
        write_private(root / "demo" / "summary.json", b"{}")
    finally:
        os.umask(old_umask)

    assert len(lines) >= 4  # ledger key, C2PA chain, watermark key, vault master key
    written = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert {"keys/ledger-ed25519.pem", "keys/c2pa-signer.key", "keys/watermark.key"} <= written
    assert any(name.startswith("media/") and name.endswith(".vcv") for name in written)
    assert any(name.startswith("segments/") for name in written)
    assert _loose(root) == []


def test_write_private_replaces_atomically_and_tightens_a_leftover(tmp_path: Path) -> None:
    target = tmp_path / "secret.key"
    leftover = tmp_path / "secret.key.tmp"
    leftover.write_bytes(b"half-written by a crash")
    leftover.chmod(0o644)
    write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not leftover.exists()


def test_an_existing_file_made_by_a_library_is_tightened(tmp_path: Path) -> None:
    from common.files import ensure_private_file

    database = tmp_path / "veracast.sqlite3"
    database.write_bytes(b"SQLite format 3\x00")
    database.chmod(0o644)
    ensure_private_file(database)
    ensure_private_file(tmp_path / "new" / "other.sqlite3")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert database.read_bytes() == b"SQLite format 3\x00"
    assert stat.S_IMODE((tmp_path / "new" / "other.sqlite3").stat().st_mode) == 0o600

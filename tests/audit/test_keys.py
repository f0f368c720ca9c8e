from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from audit.keys import KeyUnavailableError, load_public_keys, load_signing_key
from audit.selectors import verify_stored_ledger
from audit.services import create_checkpoint, record_event


def test_init_keys_creates_a_private_key_readable_only_by_its_owner(settings: Any, tmp_path: Path) -> None:
    settings.LEDGER_SIGNING_KEY_PATH = tmp_path / "k" / "ledger.pem"
    settings.LEDGER_PUBLIC_KEYS_DIR = tmp_path / "k" / "public"

    call_command("init_keys", stdout=StringIO())

    key = load_signing_key()
    assert stat.S_IMODE(settings.LEDGER_SIGNING_KEY_PATH.stat().st_mode) == 0o600
    assert (settings.LEDGER_PUBLIC_KEYS_DIR / f"{key.key_id}.pem").is_file()
    assert list(load_public_keys()) == [key.key_id]


def test_init_keys_is_idempotent(ledger_keys: dict[str, Path]) -> None:
    before = ledger_keys["private"].read_bytes()
    out = StringIO()

    call_command("init_keys", stdout=out)

    assert ledger_keys["private"].read_bytes() == before
    assert "already exists" in out.getvalue()


def test_rotation_keeps_old_checkpoints_verifiable(db: Any, ledger_keys: dict[str, Path]) -> None:
    record_event(kind="k", subject="stream:1", payload={}, actor=None)
    old = create_checkpoint()

    call_command("init_keys", "--rotate", stdout=StringIO())
    record_event(kind="k", subject="stream:1", payload={}, actor=None)
    new = create_checkpoint()

    assert old is not None
    assert new is not None
    assert old.key_id != new.key_id
    assert set(load_public_keys()) == {old.key_id, new.key_id}
    assert verify_stored_ledger().ok


def test_a_missing_key_names_its_path_and_the_command(db: Any, settings: Any, tmp_path: Path) -> None:
    settings.LEDGER_SIGNING_KEY_PATH = tmp_path / "absent.pem"
    record_event(kind="k", subject="stream:1", payload={}, actor=None)

    with pytest.raises(KeyUnavailableError, match=r"absent\.pem.*init_keys"):
        create_checkpoint()
    with pytest.raises(CommandError, match="init_keys"):
        call_command("create_checkpoint", stdout=StringIO())


def test_an_unreadable_key_is_a_clear_error(settings: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    settings.LEDGER_SIGNING_KEY_PATH = bad

    with pytest.raises(KeyUnavailableError, match=r"bad\.pem is not a readable PEM key.*init_keys"):
        load_signing_key()

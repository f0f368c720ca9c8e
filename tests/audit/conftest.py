"""Fixtures of the ledger tests: signing keys generated per test into tmp_path, never the developer's keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def ledger_keys(settings: Any, tmp_path: Path) -> dict[str, Path]:
    from audit.keys import init_keys

    settings.LEDGER_SIGNING_KEY_PATH = tmp_path / "keys" / "ledger-ed25519.pem"
    settings.LEDGER_PUBLIC_KEYS_DIR = tmp_path / "keys" / "ledger-public"
    init_keys()
    return {"private": settings.LEDGER_SIGNING_KEY_PATH, "public_dir": settings.LEDGER_PUBLIC_KEYS_DIR}

"""Fixtures of the consent tests: per-test signing keys, vault master key and storage; a published text; a
software passkey for iris; and helpers that move a grant through its life with the real services."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from consent.software_authenticator import SoftwareAuthenticator

RP_ORIGIN = "http://localhost"


@pytest.fixture(autouse=True)
def consent_environment(settings: Any, tmp_path: Path) -> dict[str, Any]:
    """Keys and storage under tmp_path, never the developer's; a clean gate cache and version stamps."""
    from audit.keys import init_keys
    from consent import broadcast, gate

    settings.LEDGER_SIGNING_KEY_PATH = tmp_path / "keys" / "ledger-ed25519.pem"
    settings.LEDGER_PUBLIC_KEYS_DIR = tmp_path / "keys" / "ledger-public"
    init_keys()
    settings.VAULT_MASTER_KEY = os.urandom(32).hex()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = [RP_ORIGIN]
    gate.clear_cache()
    broadcast.reset_connections()
    client = broadcast._redis_client()
    if client is not None:
        for key in client.scan_iter("veracast:consent:version:*"):
            client.delete(key)
    return {"media": tmp_path / "media"}


@pytest.fixture
def template(personas: dict[str, Any]) -> Any:
    from tests.consent.helpers import published_template

    return published_template(personas["sam"])


@pytest.fixture
def passkey(personas: dict[str, Any]) -> SoftwareAuthenticator:
    """iris's registered passkey (through the real registration verification)."""
    from tests.consent.helpers import register_passkey

    return register_passkey(personas["iris"])


@pytest.fixture
def minor(personas: dict[str, Any]) -> Any:
    """mia, a verified influencer who is 16."""
    from tests.consent.helpers import verified_influencer

    mia = verified_influencer("mia", born=date(timezone.localdate().year - 16, 1, 1), verified_by=personas["sam"])
    return mia


def in_days(days: float) -> Any:
    return timezone.now() + timedelta(days=days)

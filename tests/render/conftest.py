"""Fixtures of the render tests: every key, the vault and the segment storage under tmp_path (never the developer's),
made by the real `init_keys` steps; a clean gate cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def render_environment(settings: Any, tmp_path: Path) -> dict[str, Path]:
    from audit.keys import init_keys
    from consent import broadcast, gate
    from render.runtime import forget_cached_assets

    data = tmp_path / "data"
    keys = data / "keys"
    # The same layout base.py derives from VERACAST_DATA_DIR / VERACAST_KEYS_DIR, so a worker process started with
    # those two variables (tests/conftest.py's celery_worker_process) finds the same files.
    settings.DATA_DIR = data
    settings.KEYS_DIR = keys
    settings.LEDGER_SIGNING_KEY_PATH = keys / "ledger-ed25519.pem"
    settings.LEDGER_PUBLIC_KEYS_DIR = keys / "ledger-public"
    settings.C2PA_CERT_CHAIN_PATH = keys / "c2pa-chain.pem"
    settings.C2PA_SIGNING_KEY_PATH = keys / "c2pa-signer.key"
    settings.C2PA_TRUST_ANCHOR_PATH = keys / "c2pa-root.pem"
    settings.WATERMARK_KEY_PATH = keys / "watermark.key"
    settings.VAULT_MASTER_KEY_PATH = keys / "vault-master.key"
    settings.MEDIA_ROOT = data / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(data / "media")},
        },
    }
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost"]
    init_keys()
    settings.VAULT_MASTER_KEY = (keys / "vault-master.key").read_text().strip()
    gate.clear_cache()
    broadcast.reset_connections()
    forget_cached_assets()
    client = broadcast._redis_client()
    if client is not None:
        for key in client.scan_iter("veracast:consent:version:*"):
            client.delete(key)
    return {"data": data, "keys": keys, "segments": data / "segments"}

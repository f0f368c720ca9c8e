"""Pointing the settings at a throw-away data directory: the same layout base.py derives from VERACAST_DATA_DIR /
VERACAST_KEYS_DIR, so a worker process started with those two variables finds the same files."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def point_settings_at(settings: Any, data: Path) -> Path:
    """Keys, ledger keys, C2PA chain, watermark and vault keys, media and default storage under `data`; the keys
    folder is returned."""
    keys = data / "keys"
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
    return keys

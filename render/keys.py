"""Render's development keys, added to `manage.py init_keys` (audit.keys.INIT_STEPS) by RenderConfig.ready():

- the C2PA development chain (root -> intermediate -> ES256 signer) at settings.C2PA_* paths;
- the watermark key (32 random bytes as 64 hex digits) at settings.WATERMARK_KEY_PATH;
- the biometric vault master key at settings.VAULT_MASTER_KEY_PATH, unless VERACAST_VAULT_MASTER_KEY is set.

Each step leaves an existing file alone unless `rotate` is given; none of them is ever committed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

from common.files import write_private


def watermark_key_path() -> Path:
    configured = getattr(settings, "WATERMARK_KEY_PATH", None)
    if configured:
        return Path(configured)
    return Path(os.environ.get("VERACAST_WATERMARK_KEY_FILE") or Path(settings.KEYS_DIR) / "watermark.key")


def vault_master_key_path() -> Path:
    configured = getattr(settings, "VAULT_MASTER_KEY_PATH", None)
    return Path(configured) if configured else Path(settings.KEYS_DIR) / "vault-master.key"


def ensure_c2pa_chain(rotate: bool = False) -> str:
    from render.engine.devcerts import make_development_chain

    chain_path = Path(settings.C2PA_CERT_CHAIN_PATH)
    key_path = Path(settings.C2PA_SIGNING_KEY_PATH)
    anchor_path = Path(settings.C2PA_TRUST_ANCHOR_PATH)
    if chain_path.exists() and key_path.exists() and anchor_path.exists() and not rotate:
        return f"C2PA development chain already exists at {chain_path} (use --rotate to replace it)"
    with tempfile.TemporaryDirectory() as scratch:
        made = make_development_chain(scratch)
        write_private(key_path, made.signing_key.read_bytes())
        write_private(chain_path, made.chain.read_bytes())
        write_private(anchor_path, made.root_cert.read_bytes())
    return f"C2PA development chain created: chain {chain_path}, key {key_path}, trust anchor {anchor_path}"


def ensure_watermark_key(rotate: bool = False) -> str:
    path = watermark_key_path()
    if path.exists() and not rotate:
        return f"watermark key already exists at {path} (use --rotate to replace it)"
    # Hex text: the detector strips whitespace from key files, which raw random bytes could end in.
    write_private(path, os.urandom(32).hex().encode() + b"\n")
    return f"watermark key created at {path}"


def ensure_vault_master_key(rotate: bool = False) -> str:
    if os.environ.get("VERACAST_VAULT_MASTER_KEY"):
        return "vault master key comes from VERACAST_VAULT_MASTER_KEY; nothing written"
    path = vault_master_key_path()
    if path.exists():
        # Never rotated here: a new master key would make every wrapped data key unreadable.
        return f"vault master key already exists at {path}"
    write_private(path, os.urandom(32).hex().encode() + b"\n")
    return f"vault master key created at {path} (point VERACAST_VAULT_MASTER_KEY_FILE at it)"


RENDER_INIT_STEPS = [ensure_c2pa_chain, ensure_watermark_key, ensure_vault_master_key]


def register_init_steps() -> None:
    from audit.keys import INIT_STEPS

    for step in RENDER_INIT_STEPS:
        if step not in INIT_STEPS:
            INIT_STEPS.append(step)

"""Fixtures of the render tests: every key, the vault and the segment storage under tmp_path (never the developer's),
made by the real `init_keys` steps; a clean gate cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.data_dir import point_settings_at


@pytest.fixture(autouse=True)
def render_environment(settings: Any, tmp_path: Path) -> dict[str, Path]:
    from audit.keys import init_keys
    from consent import broadcast, gate
    from render.runtime import forget_cached_assets

    data = tmp_path / "data"
    keys = point_settings_at(settings, data)
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

"""A download link stops working after its time: 410 with a sentence saying how to get a fresh one."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.exports import build_export, create_command_line_export, download_token

pytestmark = pytest.mark.postgres


def test_a_link_older_than_its_lifetime_is_gone(
    personas: dict[str, Any], ledger_keys: Any, settings: Any, tmp_path: Path
) -> None:
    settings.AUDIT_EXPORTS_DIR = tmp_path / "exports"
    settings.AUDIT_EXPORT_LINK_TTL_SECONDS = 60
    export = build_export(export_id=create_command_line_export(organisation=personas["acme"]).pk)
    client = APIClient()
    client.force_authenticate(personas["audrey"])
    url = f"/api/v1/ledger/exports/{export.public_id}/download/?token="
    token = download_token(export=export, user=personas["audrey"])
    assert client.get(url + token).status_code == 200

    # The link's lifetime shrinks to 1 s and the link is older than that (signing timestamps count whole seconds).
    settings.AUDIT_EXPORT_LINK_TTL_SECONDS = 1
    time.sleep(2.1)
    response = client.get(url + token)

    assert response.status_code == 410
    assert response.json() == {
        "code": "link_expired",
        "message": "This download link has expired; open the exports page again for a fresh link.",
    }
    # A link made for someone else does not work either.
    settings.AUDIT_EXPORT_LINK_TTL_SECONDS = 60
    other = download_token(export=export, user=personas["sam"])
    assert client.get(url + other).status_code == 403

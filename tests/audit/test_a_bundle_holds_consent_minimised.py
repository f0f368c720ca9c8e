"""Consent grants go into a bundle minimised: hashes, scope document, dates, status and the last 4 digits of the ID
number; never the legal name, the full ID number or anything biometric."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit.exports import build_export, create_command_line_export
from tests.consent.helpers import revoke_with_passkey
from tests.render.helpers import grant_for

pytestmark = pytest.mark.postgres


def test_a_revoked_grant_is_exported_with_hashes_dates_and_last4_only(
    personas: dict[str, Any], ledger_keys: Any, tmp_path: Path
) -> None:
    grant = grant_for(personas)
    revoke_with_passkey(grant, grant.authenticator, personas["iris"])
    grant.refresh_from_db()

    export = build_export(
        export_id=create_command_line_export(organisation=personas["acme"]).pk, out=tmp_path / "b.zip"
    )

    assert export.status == "done", export.error_message
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        rows = [json.loads(line) for line in archive.read("consent_grants.jsonl").splitlines()]
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert len(rows) == 1
    row = rows[0]
    assert row["grant"] == str(grant.public_id)
    assert row["status"] == "revoked"
    assert row["scope_sha256"] == grant.scope_sha256
    assert row["scope_document"] == grant.scope_canonical
    assert row["influencer_id_number_last4"] == "1237"
    assert row["revoked_at"] is not None
    assert row["revocation_sha256"]
    assert b"Iris Example" not in everything
    assert b"110101199001011237" not in everything
    assert not any(key in row for key in ("signature", "statement", "face_score", "voice_score"))

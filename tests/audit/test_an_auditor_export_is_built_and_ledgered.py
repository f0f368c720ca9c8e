"""Audrey asks for Acme's bundle through the API: the task builds it (progress reaches 1), the request and the
completion are ledgered, and the zip downloads through the link the API hands out."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from tests.audit.bundles import JOB_SUBJECT, seed_ledger

pytestmark = pytest.mark.postgres


def test_an_export_is_built_by_the_task_and_downloads(
    personas: dict[str, Any],
    ledger_keys: Any,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.AUDIT_EXPORTS_DIR = tmp_path / "exports"
    seed_ledger(personas)
    client = APIClient()
    client.force_authenticate(personas["audrey"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/ledger/exports/", {"organisation": "acme", "subject": JOB_SUBJECT}, format="json"
        )

    assert response.status_code == 202, response.json()
    export_id = response.json()["public_id"]
    state = client.get(f"/api/v1/ledger/exports/{export_id}/").json()
    assert state["status"] == "done"
    assert state["progress"] == 1.0
    assert state["event_count"] == 12
    requested = LedgerEvent.objects.get(kind="audit.export_requested")
    completed = LedgerEvent.objects.get(kind="audit.export_completed")
    assert requested.subject == completed.subject == f"audit_export:{export_id}"
    assert json.loads(completed.payload)["sha256"] == state["sha256"]

    download = client.get(state["download_url"])

    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        scope = json.loads(archive.read("scope.json"))
    assert {"MANIFEST.json", "MANIFEST.sig", "verify.py", "README.md", "events.jsonl", "proofs.jsonl"} <= names
    assert scope["subject"] == JOB_SUBJECT

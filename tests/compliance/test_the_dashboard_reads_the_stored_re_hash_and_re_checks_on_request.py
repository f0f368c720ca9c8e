"""The dashboard never re-hashes files on a page view: the recording rule shows the artifact check's dated re-hash,
so a file deleted after the check still reads as the check found it (with when it was measured) and no file is
opened while the page renders; "Re-check now" queues the task, which hashes again and the next view shows the
failure."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.compliance.streams import stream


def test_the_dashboard_reads_the_stored_re_hash_and_re_checks_on_request(
    client: Client, personas: dict[str, Any], monkeypatch: Any
) -> None:
    from django.core.files.storage import FileSystemStorage

    from compliance.artifacts import run_artifact_check
    from compliance.models import ArtifactCheck
    from render.models import Segment
    from render.publisher import segment_storage

    job = stream(personas)
    row = Segment.objects.get(job=job, sequence=2)
    segment_storage().delete(row.storage_name)
    opened: list[str] = []
    original = FileSystemStorage.open

    def counting(self: Any, name: str, mode: str = "rb") -> Any:
        opened.append(name)
        return original(self, name, mode)

    monkeypatch.setattr(FileSystemStorage, "open", counting)
    client.force_login(personas["audrey"])
    dashboard = reverse("compliance:dashboard", args=["acme"])

    page = client.get(dashboard, {"stream": job.stream_id}).content.decode()

    assert not [name for name in opened if job.stream_id in name]
    assert "stored files re-hashed: all match. (measured" in page

    # Re-check: the task (run here as the worker would, not on the page view) re-hashes and finds the file gone.
    monkeypatch.setattr("compliance.tasks.artifact_check_task.delay", lambda check_id: None)
    recheck = reverse("compliance:recheck-artifacts", args=["acme", job.stream_id])
    assert client.post(recheck).status_code == 302
    queued = ArtifactCheck.objects.filter(job=job, status=ArtifactCheck.Status.QUEUED).get()
    monkeypatch.setattr(FileSystemStorage, "open", original)
    run_artifact_check(queued.pk)

    queued.refresh_from_db()
    assert queued.results["recording"]["result"] == "fail"
    page = client.get(dashboard, {"stream": job.stream_id}).content.decode()
    assert "segment 2: the stored file is missing" in page

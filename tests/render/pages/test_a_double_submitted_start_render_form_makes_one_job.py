"""The start-render form carries a request key: submitting it twice (a double click, a resent POST) makes one job
and sends both answers to it; two submits racing on separate connections also make one job (the key is unique, the
loser returns the winner's job). A new form (a new key) makes a new job."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from render.models import RenderJob
from render.services import submit_render_job
from render.tasks import render_job_task
from tests.conftest import skip_unless_required
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script


def _form(script: Any, key: str) -> dict[str, str]:
    return {
        "script_version": script.version_id,
        "resolution": "720p-portrait",
        "fps": "25",
        "engine": "viseme-warp",
        "label_languages": "zh+en",
        "request_key": key,
    }


@pytest.mark.django_db
def test_the_same_form_twice_is_one_job(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    script = approved_script(personas, SHORT_LINES)
    client = Client()
    client.force_login(personas["bob"])
    page = client.get(f"/render/avatars/{avatar.public_id}/render/").content.decode()
    assert 'name="request_key"' in page
    assert "data-once" in page
    key = str(uuid.uuid4())
    first = client.post(f"/render/avatars/{avatar.public_id}/render/", _form(script, key))
    second = client.post(f"/render/avatars/{avatar.public_id}/render/", _form(script, key))
    job = RenderJob.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/render/jobs/{job.public_id}/"
    assert job.request_key == uuid.UUID(key)
    client.post(f"/render/avatars/{avatar.public_id}/render/", _form(script, str(uuid.uuid4())))
    assert RenderJob.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_racing_submits_of_one_form_make_one_job(personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        skip_unless_required("the race needs PostgreSQL's blocking unique index")
    monkeypatch.setattr(render_job_task, "delay_on_commit", lambda *args, **kwargs: None)  # render nothing here
    avatar = ready_avatar(personas)
    script = approved_script(personas, SHORT_LINES)
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    jobs: list[RenderJob] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            jobs.append(
                submit_render_job(
                    avatar=avatar,
                    actor=personas["bob"],
                    purpose="livestream_ecommerce",
                    platform="douyin",
                    script=script,
                    request_key=key,
                )
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert RenderJob.objects.count() == 1
    assert {job.pk for job in jobs} == {RenderJob.objects.get().pk}

"""A line longer than the TTS accepts is refused by name (400) when a script or a version is saved; the versions
already stored stay as they were and no new one appears."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from common.api import DomainError
from render.engine.speech.text import MAX_TEXT_CHARS
from streaming.models import Script, ScriptVersion
from streaming.scripts import latest_version
from streaming.services import save_script_version
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script


def test_an_overlong_line_is_refused(personas: dict[str, Any]) -> None:
    script = write_script(personas, lines_for(lipstick(personas)))
    first = latest_version(script)
    long_line = {"id": "long", "text": "好" * (MAX_TEXT_CHARS + 1), "language": "zh", "intent": "idle"}
    with pytest.raises(DomainError) as refused:
        save_script_version(script=script, actor=personas["alice"], lines=[*first.lines, long_line], base_number=1)
    assert (refused.value.code, refused.value.status_code) == ("unspeakable_too_long", 400)
    assert "long" in str(refused.value.detail)

    client = APIClient()
    client.force_authenticate(personas["alice"])
    response = client.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/scripts/",
        {"title": "Too long", "language": "zh", "lines": [long_line]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unspeakable_too_long"
    assert list(ScriptVersion.objects.values_list("pk", "sha256")) == [(first.pk, first.sha256)]
    assert Script.objects.count() == 1

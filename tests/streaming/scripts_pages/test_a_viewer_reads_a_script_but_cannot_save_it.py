"""Victor (Acme viewer) reads the editor without a save button, and a forged save is refused with nothing stored."""

from __future__ import annotations

from typing import Any

from django.test import Client

from streaming.models import ScriptVersion
from tests.streaming.scripts_pages.helpers import DISCLOSURE, acme_script


def test_a_viewer_cannot_save_a_new_version(personas: dict[str, Any]) -> None:
    script = acme_script(personas, "这款口红很好看。")
    victor = Client()
    victor.force_login(personas["victor"])

    page = victor.get(f"/scripts/{script.public_id}/").content.decode()
    assert "这款口红很好看。" in page
    assert "Save as a new version" not in page
    assert 'data-testid="read-only"' in page

    response = victor.post(
        f"/scripts/{script.public_id}/",
        {"base_number": "1", "line": ["k1", "k2"], "k1-text": DISCLOSURE, "k2-text": "改过的台词。"},
    )
    assert response.status_code == 403
    assert "owners and editors" in response.content.decode()
    assert list(ScriptVersion.objects.filter(script=script).values_list("number", flat=True)) == [1]

"""Charlie (Globex) gets 404 for every page and endpoint of an Acme script, as for an id that does not exist."""

from __future__ import annotations

from typing import Any

from django.test import Client

from streaming.models import ScriptVersion
from tests.streaming.scripts_pages.helpers import acme_script


def test_globex_gets_404_on_acme_script_pages(personas: dict[str, Any]) -> None:
    script = acme_script(personas, "这款口红很好看。")
    charlie = Client()
    charlie.force_login(personas["charlie"])
    base = f"/scripts/{script.public_id}"

    assert charlie.get(f"{base}/").status_code == 404
    assert charlie.get(f"{base}/versions/1/review").status_code == 404
    assert charlie.get(f"{base}/versions/1/lines/1/speech.wav").status_code == 404
    assert charlie.post(f"{base}/", {"base_number": "1", "line": "k1", "k1-text": "我的"}).status_code == 404
    assert charlie.post(f"{base}/versions/1/approval-options", "{}", content_type="application/json").status_code == 404
    assert charlie.post(f"{base}/versions/1/approve", "{}", content_type="application/json").status_code == 404
    assert charlie.get(f"/scripts/?brand={personas['acme'].public_id}").status_code == 404
    assert charlie.post(f"/scripts/brands/{personas['acme'].public_id}/new/", {"title": "x"}).status_code == 404
    # Globex's own list does not show it; nothing was stored.
    assert "口红脚本" not in charlie.get("/scripts/").content.decode()
    assert ScriptVersion.objects.filter(script=script).count() == 1

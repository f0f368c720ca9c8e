"""Alice edits version 1 while someone saves version 2. Her save (based on version 1) is refused with a sentence
saying what happened, nothing is overwritten, and her edit is still in the form."""

from __future__ import annotations

from typing import Any

from django.test import Client

from streaming.scripts import save_script_version
from tests.streaming.scripts_pages.helpers import DISCLOSURE, acme_script


def test_a_stale_save_is_a_sentence_and_the_typed_text_stays(personas: dict[str, Any]) -> None:
    script = acme_script(personas, "这款口红很好看。")
    first = script.versions.get()
    save_script_version(
        script=script,
        actor=personas["alice"],
        lines=[*first.lines[:1], {**first.lines[1], "text": "这款口红颜色很正。"}],
        base_number=1,
    )
    alice = Client()
    alice.force_login(personas["alice"])

    response = alice.post(
        f"/scripts/{script.public_id}/",
        {
            "base_number": "1",
            "line": ["k1", "k2"],
            "k1-id": first.lines[0]["id"],
            "k1-text": DISCLOSURE,
            "k1-language": "zh",
            "k1-intent": "disclosure",
            "k2-id": first.lines[1]["id"],
            "k2-text": "我刚改的这一句。",
            "k2-language": "zh",
            "k2-intent": "product",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "version 2 was saved in between" in page
    assert "我刚改的这一句。</textarea>" in page
    assert list(script.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert script.versions.get(number=2).lines[1]["text"] == "这款口红颜色很正。"

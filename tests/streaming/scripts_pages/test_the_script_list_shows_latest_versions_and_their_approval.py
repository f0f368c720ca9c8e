"""/scripts/ lists the brand's scripts with their latest version and whether that version is approved (an edit after
an approval shows the older approved number), and offers the LLM generator only when one is configured."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from streaming.scripts import save_script_version
from streaming.services import create_product
from tests.streaming.scripts_factory import approve
from tests.streaming.scripts_pages.helpers import acme_script


def _row(page: str, title: str) -> str:
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S) if title in row]
    assert len(rows) == 1
    return rows[0]


def test_latest_versions_and_approval_states_are_listed(personas: dict[str, Any], settings: Any) -> None:
    settings.LLM_URL = ""
    create_product(
        organisation=personas["acme"],
        actor=personas["alice"],
        sku="LIP-1",
        name="口红",
        price="99",
        category="cosmetics",
    )
    edited = acme_script(personas, "这款口红颜色很正。")
    approve(edited.versions.get(), personas["alice"])
    first = edited.versions.get()
    save_script_version(
        script=edited,
        actor=personas["alice"],
        lines=[*first.lines[:1], {**first.lines[1], "text": "这款口红颜色很显白。"}],
        base_number=1,
    )
    edited.title = "Edited after approval"
    edited.save(update_fields=["title"])
    kept = acme_script(personas, "这款口红很好看。")
    approve(kept.versions.get(), personas["alice"])
    kept.title = "Approved as is"
    kept.save(update_fields=["title"])
    alice = Client()
    alice.force_login(personas["alice"])

    page = alice.get("/scripts/").content.decode()

    assert "v2" in _row(page, "Edited after approval")
    assert "Not approved (v1 was)" in _row(page, "Edited after approval")
    assert "v1" in _row(page, "Approved as is")
    assert ">Approved<" in _row(page, "Approved as is")
    assert 'value="builtin"' in page
    assert 'value="llm"' not in page

    settings.LLM_URL = "http://127.0.0.1:9/v1/chat/completions"
    assert 'value="llm"' in alice.get("/scripts/").content.decode()

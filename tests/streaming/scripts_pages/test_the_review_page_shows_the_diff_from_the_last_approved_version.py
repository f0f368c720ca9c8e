"""The review page of version 3 compares it with version 1, the last approved one (not with version 2): a changed
line shows its deleted and inserted characters, an added line is marked added, an unchanged line is the same."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from streaming.scripts import save_script_version
from tests.streaming.scripts_factory import approve
from tests.streaming.scripts_pages.helpers import acme_script


def test_the_diff_is_against_the_last_approved_version(personas: dict[str, Any]) -> None:
    script = acme_script(personas, "这款口红颜色很正。")
    first = script.versions.get()
    approve(first, personas["alice"])
    disclosure, line = first.lines
    save_script_version(
        script=script,
        actor=personas["alice"],
        lines=[disclosure, {**line, "text": "这款口红颜色很亮。"}],
        base_number=1,
    )
    save_script_version(
        script=script,
        actor=personas["alice"],
        lines=[
            disclosure,
            {**line, "text": "这款口红颜色很显白。"},
            {"text": "喜欢的朋友点点关注。", "language": "zh", "intent": "follow"},
        ],
        base_number=2,
    )
    alice = Client()
    alice.force_login(personas["alice"])

    page = alice.get(f"/scripts/{script.public_id}/versions/3/review").content.decode()

    assert "Changes since the last approved version (v1)" in page
    rows = re.findall(r'<li class="diff__row[^"]*" data-op="(\w+)" data-testid="diff-row">(.*?)</li>', page, re.S)
    assert [op for op, _ in rows] == ["equal", "changed", "added"]
    changed = rows[1][1]
    assert "<del>正</del>" in changed
    assert "<ins>显白</ins>" in changed
    assert "这款口红颜色很" in changed
    assert "<ins>喜欢的朋友点点关注。</ins>" in rows[2][1]

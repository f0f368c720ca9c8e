"""The editor cuts a line's text at its findings' spans: the absolute term sits in a <mark> of its severity, with
exactly the characters the linter matched, and the mark points at the finding's rule and message below the line."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client

from streaming.scripts import latest_version
from tests.streaming.scripts_pages.helpers import acme_script, marked_lines


def test_the_absolute_term_is_marked_at_its_span_and_described_by_its_finding(personas: dict[str, Any]) -> None:
    text = "这款口红是全网最低价，快来买！"
    script = acme_script(personas, text)
    version = latest_version(script)
    finding = next(f for f in version.findings if f["line"] == 2 and f["severity"] == "block")
    start, end = finding["span"]
    assert text[start:end] == finding["matched"]

    client = Client()
    client.force_login(personas["alice"])
    page = client.get(f"/scripts/{script.public_id}/").content.decode()

    line = marked_lines(page)[1]
    marks = re.findall(
        r'<mark class="finding finding--(\w+)" title="([^"]*)" aria-describedby="([^"]*)">(.*?)</mark>', line
    )
    assert [(severity, html.unescape(inner)) for severity, _, _, inner in marks] == [("block", text[start:end])]
    # Around the mark, the rest of the line is plain text: the cut is at the exact characters, no more, no less.
    plain = re.sub(r"<mark[^>]*>.*?</mark>", "|", line)
    assert html.unescape(plain) == f"{text[:start]}|{text[end:]}"
    # The mark's description is the finding's entry under the line, which names the rule and the message.
    _, title, described_by, _ = marks[0]
    assert finding["rule"] in html.unescape(title)
    entry = re.search(rf'<li class="finding-item[^"]*" id="{re.escape(described_by)}"[^>]*>(.*?)</li>', page, re.S)
    assert entry is not None
    assert finding["rule"] in entry.group(1)
    assert html.escape(finding["message"]["en"], quote=False) in entry.group(1)
    # The disclosure line carries no mark.
    assert "<mark" not in marked_lines(page)[0]

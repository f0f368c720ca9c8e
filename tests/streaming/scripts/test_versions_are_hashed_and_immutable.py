"""Every version is stored with the SHA-256 of its RFC 8785 canonical JSON; saving an edit stores a new version and
leaves the old one as it was; findings carry stable keys line:rule:start-end."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

from audit.models import LedgerEvent
from streaming.models import ScriptVersion
from streaming.scripts import latest_version
from streaming.services import save_script_version
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script


def test_a_version_is_hashed_canonically_and_an_edit_leaves_it_unchanged(personas: dict[str, Any]) -> None:
    product = lipstick(personas)
    script = write_script(personas, lines_for(product))
    first = latest_version(script)
    expected = rfc8785.dumps({"script": str(script.public_id), "number": 1, "lines": first.lines}).decode()
    assert first.canonical == expected
    assert first.sha256 == hashlib.sha256(expected.encode()).hexdigest()
    assert first.lines[1]["product_ids"] == [str(product.public_id)]

    edited = [*first.lines[:1], {**first.lines[1], "text": "这款丝绒口红是全网最低价，只要129元。"}]
    second = save_script_version(script=script, actor=personas["alice"], lines=edited, base_number=1)

    assert second.number == 2
    assert second.sha256 != first.sha256
    stored = ScriptVersion.objects.get(pk=first.pk)
    assert (stored.lines, stored.sha256, stored.canonical) == (first.lines, first.sha256, first.canonical)
    blocking = [f for f in second.findings if f["severity"] == "block"]
    assert blocking, second.findings
    finding = blocking[0]
    start, end = finding["span"]
    assert finding["key"] == f"p:{finding['rule']}:{start}-{end}"
    assert edited[1]["text"][start:end] == finding["matched"]
    saved = LedgerEvent.objects.filter(subject=script.subject, kind="script.version_saved").order_by("seq")
    assert [e.payload_data["sha256"] for e in saved] == [first.sha256, second.sha256]
    assert saved.last().payload_data["blocking_count"] == len(blocking)

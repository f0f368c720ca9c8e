"""The word lists are data compliance staff extend: the first script version linted under a new rules_version puts
that version in the ledger (`linter.rules_changed`, with each file's hash and the version it replaced), once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from audit.models import LedgerEvent
from streaming.linter import load_rules, rules_version
from streaming.linter.loader import DATA_DIR
from streaming.linter_versions import record_rules_version
from streaming.scripts import latest_version
from streaming.services import save_script_version
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script


def _changes() -> list[dict[str, Any]]:
    return [e.payload_data for e in LedgerEvent.objects.filter(kind="linter.rules_changed").order_by("pk")]


def test_the_lists_version_is_ledgered_with_the_first_script_and_not_again(personas: dict[str, Any]) -> None:
    script = write_script(personas, lines_for(lipstick(personas)))
    edited = [{**line} for line in latest_version(script).lines]
    edited[1]["text"] = "这款丝绒口红今天129元，喜欢的宝宝点关注。"
    save_script_version(script=script, actor=personas["alice"], lines=edited, base_number=1)

    changes = _changes()
    assert len(changes) == 1
    assert changes[0]["version"] == rules_version() == latest_version(script).rules_version
    assert changes[0]["previous"] is None
    assert set(changes[0]["files"]) == {p.name for p in DATA_DIR.glob("*.yaml")}


def test_an_extended_list_is_a_new_ledgered_version_naming_the_one_it_replaced(
    personas: dict[str, Any], tmp_path: Path
) -> None:
    first = record_rules_version()
    lists = tmp_path / "lists"
    shutil.copytree(DATA_DIR, lists)
    absolute = lists / "absolute.yaml"
    text = absolute.read_text(encoding="utf-8")
    # A compliance officer adds a near-synonym to a list: not a comment, so the version changes.
    absolute.write_text(
        text.replace("terms: [国家级, 最高级, 最佳]", "terms: [国家级, 最高级, 最佳, 至尊级]", 1), encoding="utf-8"
    )

    second = record_rules_version(rules=load_rules(lists), directory=lists)

    assert second.version != first.version
    changes = _changes()
    assert [c["version"] for c in changes] == [first.version, second.version]
    assert changes[1]["previous"] == first.version
    assert changes[1]["files"]["absolute.yaml"] != changes[0]["files"]["absolute.yaml"]

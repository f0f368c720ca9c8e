"""A word-list file that cannot be used fails loading with an error naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from streaming.linter import RuleFileError, load_rules
from streaming.linter.loader import DATA_DIR


@pytest.fixture
def data(tmp_path: Path) -> Path:
    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _append_entry(data: Path, entry: str) -> None:
    path = data / "state.yaml"
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("  - id: bad\n    pattern: '(unclosed'\n    source: x\n", "entry 4 (bad): the pattern does not compile"),
        ("  - id: bad\n    term: 特供\n", "entry 4 (bad): 'source' must be a non-empty string"),
        ("  - id: bad\n    term: x\n    source: x\n    serverity: block\n", "entry 4 (bad): unknown key 'serverity'"),
        ("  - id: bad\n    term: x\n    source: x\n    severity: warn\n", "entry 4 (bad): severity must be one of"),
        ("  - id: bad\n    term: x\n    pattern: y\n    source: x\n", "needs exactly one of 'term', 'terms' or"),
        ("  - id: bad\n    term: x\n    source: x\n    not_for: [drug]\n", "names unknown categories ['drug']"),
        ("  - id: statutory\n    term: x\n    source: x\n", "entry 4 (statutory): duplicate id"),
        ("  - id: bad\n    pattern: 'a?'\n    source: x\n", "matches the empty string"),
        ("  - id: bad\n    term: 特供\n    source: x\n    examples: [央视]\n", "does not match its example '央视'"),
        ("  - id: bad\n    term: x\n    term: y\n    source: x\n", "duplicate key 'term'"),
    ],
)
def test_the_error_names_the_file_the_entry_and_the_problem(data: Path, entry: str, problem: str) -> None:
    _append_entry(data, entry)
    with pytest.raises(RuleFileError) as caught:
        load_rules(data)
    assert str(caught.value).startswith("state.yaml")
    assert problem in str(caught.value)


def test_a_file_that_is_not_yaml_or_not_utf8_is_named(data: Path) -> None:
    (data / "zz.yaml").write_bytes(b"\xff\xfe: [")
    with pytest.raises(RuleFileError, match=r"^zz\.yaml: cannot be read as UTF-8"):
        load_rules(data)
    (data / "zz.yaml").write_text("kind: findings\nfamily: [", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"^zz\.yaml: is not valid YAML"):
        load_rules(data)


def test_an_unknown_kind_or_family_is_named(data: Path) -> None:
    (data / "zz.yaml").write_text("kind: words\nfamily: x\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"^zz\.yaml: 'kind' must be one of"):
        load_rules(data)
    (data / "zz.yaml").write_text(
        "kind: findings\nfamily: state\nrule: X\nseverity: block\nmessage: {en: a, zh: b}\n"
        "entries: [{id: a, term: b, source: c}]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r"family 'state' is defined by another file too"):
        load_rules(data)


def test_the_shipped_lists_load() -> None:
    rules = load_rules()
    assert len(rules.findings) > 20
    assert rules.exemptions
    assert rules.disclosure_acceptors

"""rules_version() is the SHA-256 of the lists' canonical content: a new word changes it, a comment does not."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from streaming.linter import load_rules, rules_version
from streaming.linter.loader import DATA_DIR


def test_the_version_follows_the_content(tmp_path: Path) -> None:
    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    assert re.fullmatch(r"[0-9a-f]{64}", rules_version())
    assert load_rules(tmp_path).version == rules_version()
    state = tmp_path / "state.yaml"
    state.write_text("# a new comment\n" + state.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_rules(tmp_path).version == rules_version()
    state.write_text(state.read_text(encoding="utf-8").replace("特供|专供", "特供|专供|御用"), encoding="utf-8")
    assert load_rules(tmp_path).version != rules_version()

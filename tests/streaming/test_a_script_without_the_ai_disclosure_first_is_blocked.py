"""The first non-blank line of a script must be the AI disclosure (CN-LABEL-EXPLICIT-AUDIO)."""

from __future__ import annotations

from streaming.linter import is_disclosure, lint_script


def test_a_script_opening_with_the_disclosure_passes() -> None:
    assert lint_script(["本直播由人工智能生成", "欢迎来到直播间"], language="zh") == []
    assert lint_script(["", "This livestream is AI-generated.", "Welcome!"], language="en") == []


def test_a_script_without_it_is_blocked_at_its_first_line() -> None:
    (finding,) = lint_script(["欢迎来到直播间", "本直播由人工智能生成"], language="zh")
    assert (finding.rule, finding.severity, finding.line) == ("CN-LABEL-EXPLICIT-AUDIO", "block", 1)
    assert (finding.start, finding.end, finding.matched) == (0, 7, "欢迎来到直播间")


def test_an_empty_script_is_blocked() -> None:
    (finding,) = lint_script([], language="zh")
    assert (finding.family, finding.line, finding.matched) == ("disclosure", 1, "")


def test_a_first_line_that_names_ai_but_claims_a_real_person_is_no_disclosure() -> None:
    assert not is_disclosure("这不是AI生成的，我是真人")
    assert is_disclosure("我是AI数字人主播")

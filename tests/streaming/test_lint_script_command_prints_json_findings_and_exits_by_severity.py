"""`manage.py lint_script FILE [--category CODE] [--price-check PRODUCT_ID]`: one JSON object per finding per line
and nothing else on stdout; exit 1 when a blocking finding remains, 0 otherwise, 2 for unusable input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from streaming.catalog import create_product

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"rule", "severity", "line", "span", "matched", "message", "family", "entry", "source", "exemption"}


def _run(path: Path, *args: str) -> tuple[list[dict[str, object]], int]:
    out = io.StringIO()
    code = 0
    try:
        call_command("lint_script", str(path), *args, stdout=out)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return [json.loads(line) for line in out.getvalue().splitlines()], code


def test_a_clean_script_prints_nothing_and_exits_0(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("本直播由人工智能生成\n欢迎来到直播间\n", encoding="utf-8")
    assert _run(script) == ([], 0)


def test_review_findings_alone_exit_0(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("本直播由人工智能生成\n我们店销量第一的款式\n", encoding="utf-8")
    findings, code = _run(script)
    assert code == 0
    assert [(f["rule"], f["severity"], f["line"], f["span"]) for f in findings] == [
        ("CN-AD-ABSOLUTE-EXEMPT", "review", 2, [5, 7])
    ]


def test_blocking_findings_print_json_lines_and_exit_1(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_bytes("\ufeff欢迎来到直播间\r\n\r\n这款面霜可以治疗湿疹，全网最低价\r\n".encode())
    findings, code = _run(script, "--category", "cosmetics")
    assert code == 1
    assert all(set(f) == KEYS for f in findings)
    assert [(f["rule"], f["line"], f["span"], f["matched"]) for f in findings] == [
        ("CN-LABEL-EXPLICIT-AUDIO", 1, [0, 7], "欢迎来到直播间"),
        ("CN-AD-MEDICAL-NONMED", 3, [6, 8], "治疗"),
        ("CN-AD-ABSOLUTE", 3, [11, 16], "全网最低价"),
    ]
    assert findings[1]["message"]["zh"]
    assert findings[1]["message"]["en"]


def test_the_category_changes_the_rules(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("本直播由人工智能生成\n本品用于治疗感冒\n", encoding="utf-8")
    assert _run(script, "--category", "drugs") == ([], 0)
    assert _run(script, "--category", "food")[1] == 1


def test_a_non_utf8_or_missing_file_is_a_clear_error_with_status_2(tmp_path: Path) -> None:
    script = tmp_path / "gbk.txt"
    script.write_bytes("本直播由人工智能生成\n".encode("gbk"))
    with pytest.raises(CommandError, match=r"is not UTF-8 \(bad byte at line 1") as caught:
        call_command("lint_script", str(script))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="cannot read") as caught:
        call_command("lint_script", str(tmp_path / "missing.txt"))
    assert caught.value.returncode == 2


def test_price_check_compares_with_the_catalog_product(tmp_path: Path, personas: dict[str, Any]) -> None:
    product = create_product(
        organisation=personas["acme"],
        actor=personas["alice"],
        sku="CREAM",
        name="面霜",
        price="129.90",
        category="home",
    )
    script = tmp_path / "s.txt"
    script.write_text("本直播由人工智能生成\n面霜今天只要99元\n", encoding="utf-8")
    findings, code = _run(script, "--price-check", str(product.public_id))
    assert code == 1
    assert [(f["rule"], f["line"], f["matched"]) for f in findings] == [("CN-AD-FALSE", 2, "99元")]
    script.write_text("本直播由人工智能生成\n面霜今天只要129.90元\n", encoding="utf-8")
    assert _run(script, "--price-check", str(product.pk)) == ([], 0)


def test_price_check_of_an_unknown_product_says_so_with_status_2(tmp_path: Path, db: None) -> None:
    script = tmp_path / "s.txt"
    script.write_text("本直播由人工智能生成\n", encoding="utf-8")
    for product_id, message in (("12", "no product"), ("not-an-id", "is not a product id")):
        with pytest.raises(CommandError, match=message) as caught:
            call_command("lint_script", str(script), "--price-check", product_id)
        assert caught.value.returncode == 2


def test_as_a_process_stdout_holds_only_json_and_the_status_is_the_exit_code(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    script.write_text("欢迎\nNO.1的面霜\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}"}
    run = subprocess.run(
        [sys.executable, "manage.py", "lint_script", str(script)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert [json.loads(line)["rule"] for line in lines] == ["CN-LABEL-EXPLICIT-AUDIO", "CN-AD-ABSOLUTE"]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    run = subprocess.run(
        [sys.executable, "manage.py", "lint_script", str(bad)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert (run.returncode, run.stdout) == (2, "")
    assert "not UTF-8" in run.stderr

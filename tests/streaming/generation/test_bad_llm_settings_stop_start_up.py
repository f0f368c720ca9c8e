"""A bad LLM setting stops start-up with a message naming the variable: a URL that is not http(s), a URL without a
model, a timeout that is not a positive number of seconds, a key file that does not exist. Good values load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHOW = "from django.conf import settings; print(settings.LLM_URL, settings.LLM_MODEL, settings.LLM_TIMEOUT_S)"


def load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "VERACAST_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=base | env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"VERACAST_LLM_URL": "ftp://models.example/v1", "VERACAST_LLM_MODEL": "m"}, "VERACAST_LLM_URL"),
        ({"VERACAST_LLM_URL": "http://127.0.0.1:8000/v1"}, "VERACAST_LLM_MODEL"),
        ({"VERACAST_LLM_TIMEOUT_S": "soon"}, "VERACAST_LLM_TIMEOUT_S"),
        ({"VERACAST_LLM_TIMEOUT_S": "0"}, "VERACAST_LLM_TIMEOUT_S"),
        ({"VERACAST_LLM_TIMEOUT_S": "nan"}, "VERACAST_LLM_TIMEOUT_S"),
        ({"VERACAST_LLM_API_KEY_FILE": "/nonexistent/llm.key"}, "VERACAST_LLM_API_KEY_FILE"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    result = load_settings(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert expected in result.stderr


def test_good_values_load_and_the_default_is_off(tmp_path: Path) -> None:
    default = load_settings(tmp_path)
    assert default.returncode == 0, default.stderr
    assert default.stdout == "  20.0\n"  # no URL, no model: the LLM backend is off
    result = load_settings(
        tmp_path, VERACAST_LLM_URL="http://127.0.0.1:8000/v1", VERACAST_LLM_MODEL="qwen", VERACAST_LLM_TIMEOUT_S="3.5"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8000/v1", "qwen", "3.5"]

"""A bad environment value stops start-up with a message that names the variable, never a later confusing error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "VERACAST_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_embedded_defaults_start_cleanly(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("VERACAST_MAX_BODY_BYTES", "lots", "VERACAST_MAX_BODY_BYTES"),
        ("VERACAST_MAX_BODY_BYTES", "10", "must be at least 1024"),
        ("DJANGO_DEBUG", "perhaps", "DJANGO_DEBUG"),
        ("DATABASE_URL", "mysql://root@localhost/veracast", "DATABASE_URL"),
        ("REDIS_URL", "http://localhost:6379", "REDIS_URL"),
        ("VERACAST_LOG_LEVEL", "LOUD", "VERACAST_LOG_LEVEL"),
        ("VERACAST_CHECKPOINT_INTERVAL_SECONDS", "-1", "VERACAST_CHECKPOINT_INTERVAL_SECONDS"),
    ],
)
def test_it_names_the_bad_variable(tmp_path: Path, variable: str, value: str, expected: str) -> None:
    result = run_check(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert expected in result.stderr


def test_production_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    result = run_check(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.prod")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    missing = run_check(tmp_path, DJANGO_SECRET_KEY_FILE=str(tmp_path / "absent"))
    assert missing.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE" in missing.stderr
    assert run_check(tmp_path, DJANGO_SECRET_KEY_FILE=str(secret_file)).returncode == 0

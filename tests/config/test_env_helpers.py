"""The typed environment readers accept what they document and refuse everything else, naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import database_config, env_bool, env_int, env_list, env_secret, env_str


def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False)]:
        monkeypatch.setenv("X_FLAG", value)
        assert env_bool("X_FLAG", default=not expected) is expected
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", default=True) is True


def test_env_int_enforces_its_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", "7")
    assert env_int("X_NUM", 1, minimum=1, maximum=10) == 7
    monkeypatch.setenv("X_NUM", "70")
    with pytest.raises(ImproperlyConfigured, match="X_NUM=70: must be at most 10"):
        env_int("X_NUM", 1, maximum=10)


def test_a_required_variable_that_is_missing_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED is required"):
        env_str("X_REQUIRED")


def test_env_list_splits_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_env_secret_prefers_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "s").write_text("file-value\n")
    monkeypatch.setenv("X_SECRET", "env-value")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "s"))
    assert env_secret("X_SECRET") == "file-value"


def test_database_config_understands_postgres_and_sqlite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_DB", "postgres://veracast:pw@db.internal:5433/veracast")
    config = database_config("X_DB", "")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "veracast")
    monkeypatch.setenv("X_DB", f"sqlite:///{tmp_path}/sub/v.sqlite3")
    assert database_config("X_DB", "")["ENGINE"] == "django.db.backends.sqlite3"
    assert (tmp_path / "sub").is_dir()

"""Typed readers for environment variables that fail loudly.

Every setting Veracast reads from the environment goes through one of these helpers, so that a bad value
stops start-up with a message naming the variable instead of surfacing later as a confusing error.
Secrets also accept `<NAME>_FILE` (a path whose content is the value), which suits container secrets.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None) -> str:
    value = _raw(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"Unexpected value {name}={value!r}: use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"Unexpected value {name}={value!r}: expected an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Unexpected value {name}={number}: must be at least {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"Unexpected value {name}={number}: must be at most {maximum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    value = _raw(name)
    return Path(value).expanduser().resolve() if value is not None else default


def env_secret(name: str, default: str | None = None) -> str:
    """Read a secret from `NAME`, or from the file named by `NAME_FILE`."""
    file_name = _raw(f"{name}_FILE")
    if file_name is not None:
        path = Path(file_name)
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc.strerror}.") from None
    return env_str(name, default)


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    value = env_str(name, default)
    parsed = urlparse(value)
    if parsed.scheme not in schemes:
        raise ImproperlyConfigured(
            f"Unexpected value for {name}: scheme {parsed.scheme!r} is not one of {', '.join(schemes)}."
        )
    return value


def database_config(name: str, default: str) -> dict[str, Any]:
    """Parse a database URL (postgres:// or sqlite:///) into Django's DATABASES entry."""
    import dj_database_url

    url = env_url(name, default, schemes=("postgres", "postgresql", "pgsql", "sqlite"))
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as exc:
        raise ImproperlyConfigured(f"Unexpected value for {name}: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # On the embedded default a page's render or build runs on a thread in the web process
        # (render/dispatch.py) while the page polls it: WAL lets readers go on while that thread writes, and a
        # writer waits up to 20 s for another rather than failing with "database is locked". Transactions begin
        # IMMEDIATE: a deferred one that reads first and then writes (get_or_create, a read-then-save) cannot wait
        # for the write lock under WAL once another connection wrote since its snapshot, and fails at once (the
        # live demo's runner, operator and comment threads write side by side).
        options: dict[str, Any] = dict(cast("dict[str, Any]", config.get("OPTIONS") or {}))
        config["OPTIONS"] = {
            **options,
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
        }
        name = str(config["NAME"])
        if name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
    return config

"""Helpers shared by the benchmarks (not a benchmark itself: bench/run.py only runs bench_*.py)."""

from __future__ import annotations

import os
from urllib.parse import urlparse, urlunparse

BENCH_DATABASE_PREFIX = "veracast_bench"


def bench_database_url(name: str) -> str:
    """The throw-away PostgreSQL database a benchmark may drop and recreate.

    It is read from VERACAST_BENCH_DATABASE_URL (server and credentials; the database name is replaced), never from
    DATABASE_URL, so a benchmark can never drop the database the platform runs on.
    """
    if not name.startswith(BENCH_DATABASE_PREFIX):
        raise ValueError(f"benchmark databases must be named {BENCH_DATABASE_PREFIX}*, not {name!r}")
    base = urlparse(os.environ.get("VERACAST_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"))
    return urlunparse(base._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database (the ledger is append-only, so every run starts from an empty one)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith(BENCH_DATABASE_PREFIX):
        raise ValueError(f"refusing to drop {name!r}: not a benchmark database")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

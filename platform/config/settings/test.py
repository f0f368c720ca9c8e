"""Settings for the test suite: real PostgreSQL and Redis on their standard local ports.

With REQUIRE_SERVICES=1 (CI) a missing PostgreSQL or Redis stops the run. Without it, the suite falls back to
SQLite and in-process Celery, and tests that need the real services are skipped with the reason printed.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key")
os.environ.setdefault("VERACAST_ID_HASH_KEY", "test-id-hash-key")
os.environ.setdefault("VERACAST_ID_NUMBER_PEPPER", "test-id-number-pepper")
# The PIA gate (consent.gate, PIPL Arts. 55-56) is on as in production: the persona factories give every test
# influencer an approved impact assessment (tests/pia.py).


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"
_pg_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/veracast"
_redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
# pytest-xdist runs the suite in several processes (`make test`): each gets its own PostgreSQL test database from
# pytest-django, and here its own Redis database (Celery's queues, the consent stamps, the channel layer), counting
# down from the one given, so one process's flushdb or queued task never reaches another's.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and _xdist_worker[2:].isdigit():
    _parsed_redis = urlparse(_redis_url)
    _base_db = int(_parsed_redis.path.strip("/") or 0)
    _redis_url = _parsed_redis._replace(path=f"/{(_base_db - int(_xdist_worker[2:])) % 16}").geturl()
POSTGRES_AVAILABLE = _reachable(_pg_url, 5432) if _pg_url.startswith("postgres") else False
REDIS_AVAILABLE = _reachable(_redis_url, 6379)
if REQUIRE_SERVICES and not (POSTGRES_AVAILABLE and REDIS_AVAILABLE):
    from django.core.exceptions import ImproperlyConfigured

    missing = [name for name, ok in (("PostgreSQL", POSTGRES_AVAILABLE), ("Redis", REDIS_AVAILABLE)) if not ok]
    raise ImproperlyConfigured(
        f"REQUIRE_SERVICES=1 but {' and '.join(missing)} cannot be reached "
        f"(DATABASE_URL={_pg_url}, REDIS_URL={_redis_url})."
    )
os.environ["DATABASE_URL"] = _pg_url if POSTGRES_AVAILABLE else "sqlite:///:memory:"
if REDIS_AVAILABLE:
    os.environ["REDIS_URL"] = _redis_url
else:
    os.environ.pop("REDIS_URL", None)
# Keys, media and segments the tests make go to a throw-away directory, never the developer's var/ (worker
# processes started by tests inherit it through the environment).
if "VERACAST_DATA_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["VERACAST_DATA_DIR"] = tempfile.mkdtemp(prefix="veracast-test-data-")
    atexit.register(shutil.rmtree, os.environ["VERACAST_DATA_DIR"], ignore_errors=True)
# Tests call tasks' functions directly, and integration tests start real worker processes themselves.
os.environ.setdefault("VERACAST_INPROCESS_WORKER", "1")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# ID number digests at a toy scrypt cost, for speed (as the password hasher above); production's default is
# tested to stay memory-hard (tests/accounts/test_id_numbers_cannot_be_brute_forced_from_one_leaked_key.py).
ID_NUMBER_SCRYPT_N = 2**4
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite speaks espeak-ng where a test chose no voice, for speed (a Kokoro line costs tens of times the CPU of an
# espeak-ng one). The neural voice, production's default, has its own tests, and tests/render/test_a_render_without_
# a_voice_choice_speaks_the_platform_default.py runs the choice with production's value.
TTS_DEFAULT_BACKEND = "espeak"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# whitenoise looks for STATIC_ROOT at start-up; an empty one is fine outside production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.conftest import skip_unless_required
from tests.consent.helpers import active_grant, revoke_with_passkey

pytestmark = [pytest.mark.redis, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def _probe(influencer_id: int, brand_id: int) -> subprocess.Popen[str]:
    db = connection.settings_dict
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "probe_consent_gate",
            "--influencer",
            str(influencer_id),
            "--brand",
            str(brand_id),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_gate_in_another_process_refuses_within_a_second_without_the_pubsub_message(
    transactional_db: Any, personas: dict[str, Any], template: Any, passkey: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        skip_unless_required("another process needs the shared PostgreSQL test database")
    grant = active_grant(personas, template, passkey)
    probe = _probe(personas["iris"].influencer.pk, personas["acme"].pk)
    try:
        assert probe.stdout is not None
        ready = probe.stdout.readline().strip()
        assert ready == "ready", probe.stderr.read() if probe.stderr else ready
        # The message is lost: only the version stamp can tell the other process.
        monkeypatch.setattr(redis.Redis, "publish", lambda *args, **kwargs: 0)

        revoke_with_passkey(grant, passkey, personas["iris"])
        committed = time.time()
        line = probe.stdout.readline().split()
    finally:
        probe.kill()
        probe.wait(timeout=10)

    assert line[:2] == ["denied", "revoked"]
    assert float(line[2]) - committed < 1.0

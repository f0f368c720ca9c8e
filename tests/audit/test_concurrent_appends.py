"""Two OS processes appending to one subject at once never fork its chain."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from audit.models import LedgerEvent
from audit.verify import Report, verify_events

REPO = Path(__file__).resolve().parents[2]
APPENDS_PER_PROCESS = 60

SCRIPT = """
import os, sys, time
import django
django.setup()
from django.db import transaction
from audit.services import record_event

name, start_at, count = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
while time.time() < start_at:  # both processes start appending at the same instant
    time.sleep(0.001)
for i in range(count):
    with transaction.atomic():
        record_event(kind="race.tick", subject="stream:race", payload={"by": name, "i": i}, actor=f"worker:{name}")
"""


@pytest.mark.postgres
@pytest.mark.slow
def test_two_processes_appending_to_one_subject_never_fork_the_chain(transactional_db: Any) -> None:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'platform'}",
        # The test database pytest-django created (test_<name>), not the developer's database.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    start_at = time.time() + 3
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, name, str(start_at), str(APPENDS_PER_PROCESS)],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
        )
        for name in ("w1", "w2")
    ]
    for worker in workers:
        _, stderr = worker.communicate(timeout=120)
        assert worker.returncode == 0, stderr.decode()[-2000:]

    events = list(LedgerEvent.objects.filter(subject="stream:race").order_by("seq").values())
    assert [e["seq"] for e in events] == list(range(1, 2 * APPENDS_PER_PROCESS + 1))
    assert {e["actor"] for e in events} == {"worker:w1", "worker:w2"}
    report = Report()
    verify_events(sorted(events, key=lambda e: e["id"]), report)
    assert report.ok, [p.describe() for p in report.problems[:3]]

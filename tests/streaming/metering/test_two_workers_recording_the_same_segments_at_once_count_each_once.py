"""Two OS processes (a worker and the one taking the stream over) recording the same 40 sequence numbers of one
stream at the same instant, each with its own length, meter 40 segments: the day's total is exactly the sum of
the first record of each sequence, and matches the segment rows."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Sum

from streaming.models import LiveUsageDay, LiveUsageSegment
from tests.streaming.metering.helpers import streams_on_one_grant

REPO = Path(__file__).resolve().parents[3]
SEGMENTS = 40

SCRIPT = """
import sys, time
from datetime import UTC, datetime
import django
django.setup()
from streaming.metering import record_live_usage

stream_id, seconds, start_at, count = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
while time.time() < start_at:  # both processes start at the same instant
    time.sleep(0.001)
for sequence in range(count):
    record_live_usage(stream_id, seconds=seconds, sequence=sequence, script_version_id=None,
                      now=datetime(2026, 3, 10, 4, 0, tzinfo=UTC))
"""


@pytest.mark.postgres
@pytest.mark.slow
def test_racing_replays_count_once(transactional_db: Any, personas: dict[str, Any]) -> None:
    (stream,) = streams_on_one_grant(personas, hours_per_day=2, count=1)
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'platform'}",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    start_at = time.time() + 4
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(stream.pk), seconds, str(start_at), str(SEGMENTS)],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
        )
        for seconds in ("2.0", "3.0")
    ]
    for worker in workers:
        _, stderr = worker.communicate(timeout=120)
        assert worker.returncode == 0, stderr.decode()[-2000:]

    day = LiveUsageDay.objects.get()
    rows = LiveUsageSegment.objects.filter(stream=stream)
    assert rows.count() == SEGMENTS
    assert day.segments == SEGMENTS
    assert day.milliseconds == rows.aggregate(total=Sum("milliseconds"))["total"]
    assert {2000, 3000} >= set(rows.values_list("milliseconds", flat=True))

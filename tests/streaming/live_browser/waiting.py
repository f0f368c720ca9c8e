"""Helpers of the live browser tests (not a test module): an ingest address for a session that pushes nothing, and
a poll that fails the test with what it waited for."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest


class NoIngest:
    """The stream needs an ingest address; a session run with push=False sends nothing to it."""

    def url(self, key: str) -> str:
        return f"rtmp://127.0.0.1:1935/live/{key}"


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")

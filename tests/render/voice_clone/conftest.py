"""The clone tests' speech server (clone_server.py), configured as the platform's clone server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.render.voice_clone.clone_server import CloneServer


@pytest.fixture
def clone_server(settings: Any) -> Iterator[CloneServer]:
    server = CloneServer()
    settings.VOICE_CLONE_URL = server.url
    settings.VOICE_CLONE_MODEL = "cosyvoice-test"
    settings.VOICE_CLONE_API_KEY = "test-key"
    settings.VOICE_CLONE_TIMEOUT_S = 2
    settings.VOICE_CLONE_ALLOW_PRIVATE = True  # the test server is on loopback
    yield server
    server.close()

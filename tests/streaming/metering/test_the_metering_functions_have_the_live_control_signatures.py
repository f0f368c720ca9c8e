"""streaming.metering's live_seconds_left and record_live_usage take exactly the parameters (names, kinds, defaults
and annotations) of the LiveControl protocol's methods, so the runner's PlatformControl can delegate to them."""

from __future__ import annotations

import inspect

import pytest

from streaming import metering
from streaming.live.control import LiveControl


@pytest.mark.parametrize("name", ["live_seconds_left", "record_live_usage"])
def test_signatures_match_the_protocol(name: str) -> None:
    protocol = inspect.signature(getattr(LiveControl, name))
    implementation = inspect.signature(getattr(metering, name))
    expected = [p for p in protocol.parameters.values() if p.name != "self"]
    assert list(implementation.parameters.values()) == expected
    assert implementation.return_annotation == protocol.return_annotation

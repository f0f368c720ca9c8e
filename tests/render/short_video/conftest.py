"""The short-video tests register their own script source (restoring whatever was registered before), so they do not
depend on streaming's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.render.short_video.helpers import MemoryScriptSource


@pytest.fixture
def scripts() -> Iterator[MemoryScriptSource]:
    from render import script_source as port

    previous = port._source
    source = MemoryScriptSource()
    port.register_script_source(source)
    try:
        yield source
    finally:
        port.register_script_source(previous)

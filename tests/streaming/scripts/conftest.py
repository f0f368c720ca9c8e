"""The script tests render and sign: they use the render tests' environment (keys, vault and storage under tmp_path)
and reach the local LLM test server without proxies, as the generation tests do."""

from __future__ import annotations

from tests.render.conftest import render_environment
from tests.streaming.generation.conftest import _no_proxy

__all__ = ["_no_proxy", "render_environment"]

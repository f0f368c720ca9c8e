"""Live runner tests: the render tests' environment (keys, vault, storage under tmp_path) and a real nginx-rtmp."""

from __future__ import annotations

from tests.render.conftest import render_environment
from tests.streaming.live.nginx_rtmp import nginx_rtmp

__all__ = ["nginx_rtmp", "render_environment"]

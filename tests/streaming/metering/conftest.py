"""Metering tests: the render tests' environment and the stream factories of tests/streaming/streams."""

from __future__ import annotations

from tests.render.conftest import render_environment

__all__ = ["render_environment"]

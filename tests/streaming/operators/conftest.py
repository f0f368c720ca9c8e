"""Operator tests: the stream tests' environment (tests/streaming/streams/conftest.py)."""

from __future__ import annotations

from tests.render.conftest import render_environment

__all__ = ["render_environment"]

"""Tone and strategy tests: the render tests' environment (keys, vault, storage under tmp_path)."""

from __future__ import annotations

from tests.render.conftest import render_environment

__all__ = ["render_environment"]

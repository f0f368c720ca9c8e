"""Tone and strategy tests: the render tests' environment (keys, vault, storage under tmp_path) and, for the
console's chart, the portal's browser page."""

from __future__ import annotations

from tests.portal.conftest import page
from tests.render.conftest import render_environment

__all__ = ["page", "render_environment"]

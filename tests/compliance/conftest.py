"""Fixtures of the compliance tests: the render tests' environment (every key, the vault and segment storage under
tmp_path, a clean gate cache), so streams are made with real grants and stored files."""

from __future__ import annotations

from tests.render.conftest import render_environment

__all__ = ["render_environment"]

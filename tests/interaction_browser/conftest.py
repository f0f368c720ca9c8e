"""Browser fixtures of the live interaction tests: the portal's page and the render tests' environment."""

from __future__ import annotations

from tests.portal.conftest import page
from tests.render.conftest import render_environment

__all__ = ["page", "render_environment"]

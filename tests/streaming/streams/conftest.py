"""Stream tests: the render tests' environment (keys, vault, storage under tmp_path), an Acme avatar of iris on an
active grant (livestream on Douyin and Taobao), an approved script version, and a stream factory."""

from __future__ import annotations

from tests.render.conftest import render_environment

__all__ = ["render_environment"]

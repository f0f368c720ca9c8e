"""Browser fixtures of the stream pages: the render tests' environment and the scripts' virtual authenticator that
holds alice's passkey (alice owns Acme, so she may operate its streams)."""

from __future__ import annotations

from tests.portal.conftest import page
from tests.render.conftest import render_environment
from tests.streaming.scripts_browser.conftest import alice_passkey

__all__ = ["alice_passkey", "page", "render_environment"]

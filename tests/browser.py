"""Shared browser plumbing: Debian's Chromium driven by Playwright's sync API (`playwright install` is never used).

One Playwright driver serves the whole test session (sync Playwright cannot start twice in one thread); tests that
need process-wide Chromium flags (a fake camera) launch their own browser from it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    # Nothing but the loopback servers may be reached: every other host name fails to resolve at once.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE *.localhost , EXCLUDE 127.0.0.1",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"


def require_chromium() -> None:
    """Fail (REQUIRE_SERVICES=1, as CI runs) or skip with the install line when Debian's Chromium is missing."""
    if CHROMIUM.exists():
        return
    message = (
        f"{CHROMIUM} is missing. Install Debian's Chromium as root: "
        "`DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk` (never `playwright install`)."
    )
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)

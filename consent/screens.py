"""Screens every statement video passes before it is accepted: registered by other apps, run by consent.

A statement must show the person, now, not content Veracast generated: a clip cut from a published stream shows the
person's face and may even hold a dubbed code. Render knows how its output is marked (watermark, AIGC metadata,
C2PA); consent must not import render, so render registers a screen here from its AppConfig.ready
(`register_statement_screen`), as it registers its revocation hook with consent.broadcast.

A screen takes the statement as a seekable in-memory file and returns a `ScreenFinding` to refuse it, or None. A
screen that fails refuses the statement too (`screen_unavailable`): an unscreened statement is never accepted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from consent.biometrics.errors import MediaRejected

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScreenFinding:
    code: str  # stable, e.g. generated_content
    message: str  # a sentence for the influencer
    detail: dict[str, Any] = field(default_factory=dict)  # for the ledger: what was found, never media


StatementScreen = Callable[[BinaryIO], ScreenFinding | None]
_screens: list[StatementScreen] = []


def register_statement_screen(screen: StatementScreen) -> None:
    """Add a screen (idempotent: registering the same function twice keeps one)."""
    if screen not in _screens:
        _screens.append(screen)


def registered_screens() -> list[StatementScreen]:
    return list(_screens)


def screen_statement(video: BinaryIO) -> list[str]:
    """Run every screen; raise MediaRejected with the first finding. Returns the names of the screens passed."""
    passed: list[str] = []
    for screen in _screens:
        name = getattr(screen, "__qualname__", repr(screen))
        video.seek(0)
        try:
            finding = screen(video)
        except Exception:
            logger.exception("statement screen %s failed", name)
            raise MediaRejected(
                "screen_unavailable", "the statement could not be checked for generated content; try again later"
            ) from None
        if finding is not None:
            raise MediaRejected(finding.code, finding.message)
        passed.append(name)
    video.seek(0)
    return passed

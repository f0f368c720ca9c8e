"""Extra sections of the auditor bundle, registered by other apps (compliance adds its reports) so that audit imports
none of them. A section yields (path inside the bundle, bytes); the bundle hashes and lists every file it writes, so
verify.py checks these like any other."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Section = Callable[[Any], Iterable[tuple[str, bytes]]]

_SECTIONS: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    _SECTIONS[name] = section


def sections() -> list[tuple[str, Section]]:
    return sorted(_SECTIONS.items())

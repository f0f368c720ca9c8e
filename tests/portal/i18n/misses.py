"""Recording catalog misses while pages render: every gettext call made under zh-Hans whose msgid has no
translation in the active catalog (ours merged with Django's own) is noted, with what the page then showed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import translation


def _translated(message: str, *, plural_index: int | None = None, context: str | None = None) -> bool:
    catalog = translation.trans_real.translation(translation.get_language())._catalog  # type: ignore[attr-defined]
    key: Any = message if context is None else f"{context}\x04{message}"
    if plural_index is not None:
        key = (key, plural_index)
    return bool(catalog.get(key))


@contextmanager
def recording_misses() -> Iterator[set[str]]:
    """Yields the set the misses are added to. Only calls made while zh-hans is active count."""
    misses: set[str] = set()
    trans = translation._trans  # the object every django.utils.translation function delegates to
    originals: dict[str, Callable[..., Any]] = {
        name: getattr(trans, name) for name in ("gettext", "ngettext", "pgettext", "npgettext")
    }

    def active() -> bool:
        return (translation.get_language() or "").startswith("zh")

    def gettext(message: str) -> str:
        if message and active() and not _translated(message.replace("\r\n", "\n").replace("\r", "\n")):
            misses.add(message)
        return originals["gettext"](message)

    def ngettext(singular: str, plural: str, number: int) -> str:
        if active() and not _translated(singular, plural_index=0):
            misses.add(singular)
        return originals["ngettext"](singular, plural, number)

    def pgettext(context: str, message: str) -> str:
        if active() and not _translated(message, context=context) and not _translated(message):
            misses.add(f"{context}|{message}")
        return originals["pgettext"](context, message)

    def npgettext(context: str, singular: str, plural: str, number: int) -> str:
        if active() and not _translated(singular, plural_index=0, context=context):
            misses.add(f"{context}|{singular}")
        return originals["npgettext"](context, singular, plural, number)

    replacements = {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
    for name, function in replacements.items():
        setattr(trans, name, function)
    try:
        yield misses
    finally:
        for name, function in originals.items():
            setattr(trans, name, function)

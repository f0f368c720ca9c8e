"""What the project marks for translation, read from its sources the way makemessages does (templates through
Django's templatize, Python through its syntax tree, JavaScript by its gettext calls), and the zh-Hans catalogs as
compiled (Python's gettext reading the .mo files, so Django's own catalog cannot hide a miss of ours)."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

from tests.catalogs import LOCALE_DIR

ROOT = LOCALE_DIR.parent
# Where marked strings live: the Django apps. render/engine and streaming/linter import no Django.
SOURCE_DIRS = [ROOT / "platform", ROOT / "consent", ROOT / "render", ROOT / "streaming"]
SKIPPED = ("render/engine/", "streaming/linter/", "/migrations/", "/vendor/")

_GETTEXT_NAMES = {"gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# templatize writes gettext(u'...'), ngettext(u'...', u'...', count), pgettext(u'context', u'...').
_LITERAL = r"""u(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TEMPLATE_CALL = re.compile(rf"\b(n?p?gettext)\(({_LITERAL})(?:\s*,\s*({_LITERAL}))?")
_JS_CALL = re.compile(r"\bgettext\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*\)")


def _files(pattern: str) -> Iterator[Path]:
    for base in SOURCE_DIRS:
        for path in sorted(base.rglob(pattern)):
            if not any(part in path.as_posix() for part in SKIPPED):
                yield path


def template_msgids() -> dict[str, str]:
    """msgid (the singular, for plurals; "context\\x04msgid" with a context) -> the template it is in."""
    from django.utils.translation.template import templatize

    found: dict[str, str] = {}
    for path in _files("*.html"):
        for name, first, second in _TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"))):
            a = ast.literal_eval(first)
            msgid = f"{a}\x04{ast.literal_eval(second)}" if name.startswith(("pgettext", "npgettext")) else a
            found.setdefault(msgid, str(path.relative_to(ROOT)))
    return found


def python_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in _files("*.py"):
        source = path.read_text(encoding="utf-8")
        aliased = re.search(r"import (?:gettext|gettext_lazy) as _\b", source) is not None
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if not (name in _GETTEXT_NAMES or (name == "_" and aliased)):
                continue
            strings = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if not strings:
                continue
            msgid = f"{strings[0]}\x04{strings[1]}" if name.startswith("pgettext") and len(strings) > 1 else strings[0]
            found.setdefault(msgid, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def javascript_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in _files("*.js"):
        for literal in _JS_CALL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(ast.literal_eval(literal), str(path.relative_to(ROOT)))
    return found


def compiled_catalog(domain: str, language: str = "zh_Hans") -> dict[str, str]:
    """msgid -> translation of our compiled catalog (plural msgids under their singular)."""
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo", "rb") as mo:
        translations = gettext.GNUTranslations(mo)
    catalog: dict[str, str] = {}
    for key, value in translations._catalog.items():  # type: ignore[attr-defined]
        if isinstance(key, tuple):
            if key[1] == 0:
                catalog[key[0]] = value
        elif key:
            catalog[key] = value
    return catalog

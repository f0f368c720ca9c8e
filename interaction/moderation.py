"""Moderation before anything else: a comment matching a word list in data/moderation/*.yaml (abuse, sexual,
political, banned; each entry with its source) is suppressed: never answered aloud, hidden from the answer queue,
flagged to the operator and counted. Matching runs over the linter's normalised text (full width, traditional
forms, spacing and filler tricks folded), so "傻 逼" and "ＳＢ" are caught as their plain forms.

No Django here: the lists are files, checked on load (every entry has an id, terms or words, and a source)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from streaming.linter.normalize import normalise, normalise_term

DATA = Path(__file__).resolve().parent / "data" / "moderation"
CATEGORIES = ("abuse", "sexual", "political", "banned")


class ModerationListError(ValueError):
    pass


@dataclass(frozen=True)
class Flag:
    category: str
    entry: str
    matched: str


@dataclass(frozen=True)
class _Lists:
    terms: tuple[tuple[str, str, str], ...]  # (category, entry id, normalised term): substring match
    words: tuple[tuple[str, str, re.Pattern[str]], ...]  # whole-word match (Latin text)


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    terms: list[tuple[str, str, str]] = []
    words: list[tuple[str, str, re.Pattern[str]]] = []
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        category = data.get("category") if isinstance(data, dict) else None
        if category not in CATEGORIES:
            raise ModerationListError(f"{path.name}: category must be one of {', '.join(CATEGORIES)}.")
        for entry in data.get("entries") or []:
            if not isinstance(entry, dict) or not entry.get("id") or not entry.get("source"):
                raise ModerationListError(f"{path.name}: every entry needs an id and a source.")
            terms.extend(
                (category, entry["id"], normalise_term(str(term)).lower()) for term in entry.get("terms") or []
            )
            for word in entry.get("words") or []:
                text = r"\s+".join(re.escape(part) for part in normalise_term(str(word)).lower().split())
                words.append((category, entry["id"], re.compile(rf"(?<![a-z0-9]){text}(?![a-z0-9])")))
            if not (entry.get("terms") or entry.get("words")):
                raise ModerationListError(f"{path.name}: entry {entry['id']} has no terms or words.")
    return _Lists(tuple(terms), tuple(words))


def reload_lists() -> None:
    """Read the files again (a list update, without restarting the process)."""
    _lists.cache_clear()


def moderate(text: str) -> list[Flag]:
    """Every list entry the comment matches (empty: clean)."""
    folded = normalise(text).text.lower()
    # The linter's normalisation keeps spaces between Latin words; CJK insults are matched with spaces removed too.
    squeezed = re.sub(r"\s+", "", folded)
    lists = _lists()
    flags = [Flag(c, e, t) for c, e, t in lists.terms if t and (t in folded or t in squeezed)]
    flags += [Flag(c, e, m.group(0)) for c, e, p in lists.words if (m := p.search(folded))]
    return flags

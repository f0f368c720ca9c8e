"""Brand names that cannot impersonate another brand. Pure: no Django.

A consent is given to a brand a person recognises by name, so a name that *looks* like a verified brand's is an
impersonation. Two checks:

- `forbidden_characters`: control, format (zero-width, bidi embeddings/overrides/isolates, BOM, soft hyphen),
  private-use, surrogate, unassigned and line/paragraph separator characters are refused outright: they are
  invisible or reorder what is shown, and no legitimate brand name needs them.
- `skeleton`: Unicode TR39's skeleton, made case-insensitive and blind to spacing and punctuation. Two names with
  the same skeleton look alike ("Acme", "Αcme" with a Greek Alpha, full-width "Ａｃｍｅ", "ACME", "A c m e").

The confusable mapping is Unicode's `confusables.txt` as shipped in the pinned `confusable-homoglyphs` package
(no table of our own to keep up to date). That package answers "is this string confusable?" but has no skeleton
function, and its JSON lists each pair in both directions; `_prototypes` rebuilds TR39's source -> prototype
map from it (a character with exactly one entry maps to it; a lone pair listed both ways maps both to the smaller,
so the two still share a skeleton).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Left out of the skeleton: spacing and punctuation do not make a name look different ("Ac-me", "Ac me").
IGNORED_CATEGORIES = frozenset({"Zs", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"})


def forbidden_characters(name: str) -> list[str]:
    """The code points (as U+XXXX) in `name` that no brand name may contain, in order of first appearance."""
    found: dict[str, None] = {}
    for char in name:
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            found[f"U+{ord(char):04X}"] = None
    return list(found)


@cache
def _prototypes() -> dict[str, str]:
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    table: dict[str, list[str]] = {k: [e["c"] for e in v] for k, v in json.loads(raw).items()}
    mapping: dict[str, str] = {}
    for char, alikes in table.items():
        if len(char) != 1 or len(alikes) != 1:
            continue  # a prototype (it lists its sources) or a multi-character sequence: maps to itself
        target = alikes[0]
        if table.get(target) == [char]:
            target = min(char, target)  # a lone pair listed both ways: one representative for both
        if target != char:
            mapping[char] = target
    return mapping


def skeleton(name: str) -> str:
    """TR39 skeleton of `name` after NFKC, blind to case, spacing and punctuation.

    The confusable map runs on the upper-cased name and again on the case-folded result: upper case first makes
    "I", "l" and "1" meet (TR39 maps capital I to l, not small i), folding then catches lower-case look-alikes
    ("rn" for "m", Cyrillic "о" for "o")."""
    mapping = _prototypes()

    def mapped(text: str) -> str:
        text = unicodedata.normalize("NFD", text)
        return unicodedata.normalize("NFD", "".join(mapping.get(c, c) for c in text))

    text = mapped(unicodedata.normalize("NFKC", name).upper())
    text = mapped(text.casefold())
    return "".join(c for c in text if unicodedata.category(c) not in IGNORED_CATEGORIES | FORBIDDEN_CATEGORIES)

"""Normalisation for matching: full-width, case, homoglyph, traditional-character and spacing tricks undone, with
a map back to the original text so that every finding points at the exact characters the host would say.

"Ｎｏ．１", "N O 1", "N.O.1", "第 一", "最*佳", "國家級" and "b̶e̶s̶t̶" all become what the word lists spell. The map
gives, for every character of the normalised text, the index of the original character it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Invisible characters inserted to split a word for a filter and not for a listener.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Filler symbols put between the characters of a banned word ("最*佳", "第-一"); removed only between characters
# that are CJK or digits, or inside a run of single letters ("N.O.1"), never elsewhere ("9.9" keeps its point).
FILLERS = frozenset("*·・-_~|/\\.^=…—–:：")
# Latin look-alikes from other scripts (after casefolding).
HOMOGLYPHS = {
    "а": "a",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "х": "x",
    "у": "y",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ο": "o",
    "α": "a",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "ɑ": "a",
    "’": "'",
    "‘": "'",
}
# Traditional forms of the characters the word lists use (a script pasted from a Taiwan or Hong Kong source).
TRADITIONAL = dict(
    zip(
        "國級頂獨無絕僅價廣號極權療癒藥醫護網銷專劃壓處萬軍導選終對領機還後這說讓漲癥腫痛殺菌滅"
        "腦體質補腎壯瘦減緊買賣錢塊隻條優質級證認薦擁異質",
        "国级顶独无绝仅价广号极权疗愈药医护网销专划压处万军导选终对领机还后这说让涨症肿痛杀菌灭"
        "脑体质补肾壮瘦减紧买卖钱块只条优质级证认荐拥异质",
        strict=True,
    )
)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _is_gap(ch: str) -> bool:
    return ch.isspace() or ch in FILLERS or unicodedata.category(ch) in ("So", "Sk")


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    origin: tuple[int, ...]  # origin[i] = index in the original text of normalised character i
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span [start, end)."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def _fold(text: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch in ZERO_WIDTH or unicodedata.category(ch) == "Mn":
            continue
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if unicodedata.category(c) == "Mn":
                continue
            c = HOMOGLYPHS.get(c, c)
            chars.append(TRADITIONAL.get(c, c))
            origin.append(i)
    return chars, origin


def _joinable(left: str, right: str) -> bool:
    cjk_or_digit = (is_cjk(left) or left.isdigit()) and (is_cjk(right) or right.isdigit())
    return cjk_or_digit and not (left.isdigit() and right.isdigit())


def normalise(text: str) -> Normalised:
    chars, origin = _fold(text)
    n = len(chars)
    drop = [False] * n
    # Tokens separated by gaps; a run of three or more one-character letter/digit tokens is letter-spacing.
    tokens: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if _is_gap(chars[i]):
            i += 1
            continue
        # A token ends at a gap or where CJK and other characters meet ("是N O 1": "N" is a token of its own).
        j = i + 1
        while j < n and not _is_gap(chars[j]) and is_cjk(chars[j]) == is_cjk(chars[j - 1]):
            j += 1
        tokens.append((i, j))
        i = j
    single = [e - s == 1 and chars[s].isalnum() and not is_cjk(chars[s]) for s, e in tokens]
    k = 0
    while k < len(tokens):
        if not single[k]:
            k += 1
            continue
        m = k
        while m + 1 < len(tokens) and single[m + 1]:
            m += 1
        if m - k >= 2:
            for t in range(k, m):
                for g in range(tokens[t][1], tokens[t + 1][0]):
                    drop[g] = True
        k = m + 1
    for t in range(len(tokens) - 1):
        left_end, right_start = tokens[t][1], tokens[t + 1][0]
        if right_start > left_end and _joinable(chars[left_end - 1], chars[right_start]):
            for g in range(left_end, right_start):
                drop[g] = True
    # Fillers inside a token ("最*佳" has no spaces, so it is one token): drop them between CJK characters.
    for g in range(1, n - 1):
        if chars[g] in FILLERS and not drop[g]:
            left, right = g - 1, g + 1
            while left >= 0 and chars[left] in FILLERS:
                left -= 1
            while right < n and chars[right] in FILLERS:
                right += 1
            if left >= 0 and right < n and is_cjk(chars[left]) and is_cjk(chars[right]):
                drop[g] = True
    kept = [g for g in range(n) if not drop[g]]
    return Normalised("".join(chars[g] for g in kept), tuple(origin[g] for g in kept), text)


def normalise_term(term: str) -> str:
    """A word-list term in the same form as normalised text (so staff may write "ＮＯ.1" or "國家級")."""
    return normalise(term).text

"""Comment text as the FAQ matcher reads it: normalised (full-width to half-width, traditional to simplified Chinese,
@mentions, links and emoji removed, case folded), then cut into BM25 terms (jieba words and character bigrams for
Chinese, lightly stemmed words for English) with shared-meaning terms from data/retrieval_synonyms.yaml added.

The same functions read the FAQ's stored questions and answers, so both sides of a comparison are normalised alike.
No Django here."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import yaml
from hanziconv import HanziConv

jieba.setLogLevel(60)

SYNONYMS = Path(__file__).resolve().parent / "data" / "retrieval_synonyms.yaml"

_MENTION = re.compile(r"@[^\s@,，:：!！?？]{1,30}")
_LINK = re.compile(r"https?://\S+|www\.\S+")
# Emoji, pictographs and Douyin-style bracketed stickers ([微笑], [666]) carry no question.
_STICKER = re.compile(r"\[[^\[\]\s]{1,6}\]")
_REPEAT = re.compile(r"(\D)\1{2,}")  # not digits: 1000 ml stays 1000
# Ways a viewer addresses the host or the room, cut out before jieba (which splits 家人们 into 家 + 人们).
_FILLERS = re.compile("家人们|宝宝们|姐妹们|老铁们|主播|请问|问一下|想问")
_PUNCT_RUN = re.compile(r"[?!.~,]{2,}")
_NOT = re.compile(r"(?<=[a-z])n['’]t\b")
_CONTRACTION = re.compile(r"(?<=[a-z])['’](s|re|ve|ll|d|m)\b")
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
STOPWORDS = frozenset(
    re.findall(
        r"\S+",
        "a an the is are was were be to of in on for and or it this that do does did i you we my me your can could "
        "would will what how any with at by from have has there not if please pls hi hey host guys "
        "的 了 吗 呢 吧 啊 呀 是 我 你 这个 那个 有 么 嘛 哦 们 主播 请问 问一下 想问 一下 亲 家人们 家人 宝宝 姐妹",
    )
)


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def normalise(text: str) -> str:
    """The comment without what never carries its question, in one canonical form."""
    text = unicodedata.normalize("NFKC", text)  # full-width letters, digits and punctuation to half-width
    text = _LINK.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _STICKER.sub(" ", text)
    text = "".join(
        " " if unicodedata.category(ch) in ("So", "Sk", "Cs", "Co", "Cn") or ch in "\u200d\ufe0f" else ch for ch in text
    )
    if is_chinese(text):
        text = HanziConv.toSimplified(text)
    text = _REPEAT.sub(r"\1\1", text)  # "吗吗吗吗", "sooooo" to two
    text = _CONTRACTION.sub("", _NOT.sub(" not", text.lower()))  # what's -> what, don't -> do not
    # "多久发货？？！" is "多久发货?": a run of punctuation to its first mark. Single marks stay: the encoder was
    # trained on punctuated sentences, and stripping them all cost 3 points of top-1 on the tuning half.
    text = _PUNCT_RUN.sub(lambda m: m.group(0)[0], text)
    return " ".join(text.split())


def _stem(word: str) -> str:
    """Enough English folding for short comments: ships/shipping/shipped -> ship, expires/expiry/expire -> expir."""
    for suffix in ("ing", "ies", "ied", "ed", "es", "s", "y", "e"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # shipp -> ship
            break
    return word


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """term -> the group's canonical term(s) it also stands for (first member of each group)."""
    data = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or {}
    out: dict[str, set[str]] = {}
    for group in data.get("groups", []):
        members = [_stem(m.lower()) if not is_chinese(m) else m for m in group]
        canonical = f"~{members[0]}"
        for m in members:
            out.setdefault(m, set()).add(canonical)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _segments(run: str) -> list[str]:
    """A Chinese run without its filler words (主播, 请问, 这个…): the pieces between them, so that character bigrams
    never straddle a filler ("这个杯子" gives 杯子, not 个杯)."""
    pieces: list[str] = []
    current = ""
    for word in jieba.lcut(_FILLERS.sub(" ", run)):
        if word in STOPWORDS or not word.strip():
            if current:
                pieces.append(current)
            current = ""
        else:
            current += word
    return [*pieces, current] if current else pieces


def terms(text: str, *, normalised: bool = False) -> list[str]:
    """BM25 terms of a text (call with normalised=True when `text` is already normalise()d)."""
    if not normalised:
        text = normalise(text)
    syn = synonyms()
    out: list[str] = []
    for run in _WORD.findall(text):
        if _CJK.match(run):
            for piece in _segments(run):
                out += [t for t in jieba.lcut_for_search(piece) if t not in STOPWORDS]
                out += [piece[i : i + 2] for i in range(len(piece) - 1)]
            # A synonym may be a word jieba keeps whole or part of one (保修 in 保修期): look for each in the run.
            out += sorted({c for key, canon in syn.items() if _CJK.match(key) and key in run for c in canon})
        elif run not in STOPWORDS and (len(run) > 1 or run.isdigit()):
            word = _stem(run)
            out.append(word)
            out += syn.get(word, ())
    return out


def content_words(text: str) -> set[str]:
    """The comment's words that carry meaning (jieba words and English stems, no fillers, no bigrams, no synonym
    terms): what the matcher asks "does the FAQ use this at all?" about."""
    text = normalise(text)
    out: set[str] = set()
    for run in _WORD.findall(text):
        if _CJK.match(run):
            out.update(w for piece in _segments(run) for w in jieba.lcut(piece) if w not in STOPWORDS)
        elif run not in STOPWORDS and (len(run) > 1 or run.isdigit()):
            out.add(_stem(run))
    return out

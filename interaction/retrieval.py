"""FAQ retrieval: BM25 over jieba tokens (with CJK character bigrams, so a reworded Chinese question still shares
terms) combined with the cosine of multilingual sentence embeddings, over every question variant of a brand's FAQ.
An entry's score is its best variant's. No Django here: the index is built from plain FaqDoc values.

The confidence is a logistic calibration of (cosine, BM25 share, margin over the runner-up), with coefficients in
data/calibration.json fitted on the paraphrase set (bench/bench_interaction.py --fit), so 0.8 means about 80 % of
comments with that confidence were matched to the right entry in that set."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np

jieba.setLogLevel(60)

CALIBRATION = Path(__file__).resolve().parent / "data" / "calibration.json"
K1 = 1.2
B = 0.75
BM25_WEIGHT = 0.35
# The approved answer is searched too (a viewer may ask in the answer's words: "is there fragrance in it?"); a
# discount below 1 did not help on the paraphrase set.
ANSWER_WEIGHT = 1.0
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
STOPWORDS = frozenset(
    re.findall(
        r"\S+",
        "a an the is are was were be to of in on for and or it this that do does did i you we my me your can could "
        "would will what how any with at by from have has 的 了 吗 呢 吧 啊 是 我 你 这个 那个 有 么",
    )
)


@dataclass(frozen=True)
class FaqDoc:
    faq_id: int
    public_id: str
    language: str
    question: str
    variants: tuple[str, ...]
    answer: str
    product: str = ""


@dataclass(frozen=True)
class Candidate:
    doc: FaqDoc
    score: float  # the ranking score (cosine + weighted BM25 share)
    cosine: float
    bm25: float  # share of the query's BM25 self-score, 0..1


@dataclass(frozen=True)
class Match:
    candidates: tuple[Candidate, ...]  # best first, at most 3
    confidence: float  # calibrated probability that the first candidate is right

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in _WORD.findall(text.lower()):
        if _CJK.match(run):
            out += [t for t in jieba.lcut_for_search(run) if t not in STOPWORDS]
            out += [run[i : i + 2] for i in range(len(run) - 1)]
        elif run not in STOPWORDS:
            out.append(run[:-1] if len(run) > 3 and run.endswith("s") else run)
    return out


@lru_cache(maxsize=1)
def calibration() -> tuple[float, float, float, float]:
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    return (float(data["cosine"]), float(data["bm25"]), float(data["margin"]), float(data["bias"]))


def confidence(cosine: float, bm25: float, margin: float) -> float:
    a, b, c, d = calibration()
    z = a * cosine + b * bm25 + c * margin + d
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


class FaqIndex:
    def __init__(self, docs: Sequence[FaqDoc], encode: Callable[[list[str]], np.ndarray]) -> None:
        self.docs = list(docs)
        self._encode = encode
        self.rows: list[int] = []
        texts: list[str] = []
        weights: list[float] = []
        for i, doc in enumerate(self.docs):
            for text in (doc.question, *doc.variants):
                if text.strip():
                    self.rows.append(i)
                    texts.append(text)
                    weights.append(1.0)
            if doc.answer.strip():
                self.rows.append(i)
                texts.append(doc.answer)
                weights.append(ANSWER_WEIGHT)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.vectors = encode(texts) if texts else np.zeros((0, 512), dtype=np.float32)
        # BM25 reads the product's name beside each text, so "面霜多大容量" prefers the cream's entries to the mug's.
        self.row_tokens = [
            Counter(tokens(f"{t} {self.docs[d].product}")) for t, d in zip(texts, self.rows, strict=True)
        ]
        self.lengths = np.asarray([sum(c.values()) for c in self.row_tokens] or [0], dtype=np.float64)
        self.avg_len = float(self.lengths.mean()) if texts else 1.0
        df: Counter[str] = Counter()
        for counts in self.row_tokens:
            df.update(counts.keys())
        n = max(len(texts), 1)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def _bm25(self, query: list[str]) -> np.ndarray:
        scores = np.zeros(len(self.row_tokens), dtype=np.float64)
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for r, counts in enumerate(self.row_tokens):
                tf = counts.get(term)
                if tf:
                    norm = K1 * (1 - B + B * self.lengths[r] / self.avg_len)
                    scores[r] += idf * tf * (K1 + 1) / (tf + norm)
        return scores

    def _self_score(self, query: list[str]) -> float:
        """BM25 of the query against a variant made of exactly its own known terms: the most it could score."""
        total = 0.0
        for term, tf in Counter(query).items():
            idf = self.idf.get(term)
            if idf is not None:
                norm = K1 * (1 - B + B * len(query) / self.avg_len)
                total += idf * tf * (K1 + 1) / (tf + norm)
        return total

    def match_many(self, texts: list[str]) -> list[Match]:
        if not self.docs or not texts:
            return [Match((), 0.0) for _ in texts]
        cosines = self._encode(texts) @ self.vectors.T
        return [self._match(text, cosines[i]) for i, text in enumerate(texts)]

    def match(self, text: str) -> Match:
        return self.match_many([text])[0]

    def _match(self, text: str, row_cos: np.ndarray) -> Match:
        query = tokens(text)
        bm25 = self._bm25(query)
        most = self._self_score(query)
        share = bm25 / most if most > 0 else np.zeros_like(bm25)
        share = np.minimum(share, 1.0)
        row_cos = row_cos * self.weights
        combined = row_cos + BM25_WEIGHT * share * self.weights
        # A comment in Chinese is answered from the Chinese entries and one in English from the English ones, when the
        # brand has any in that language (the same question in two languages would otherwise be its own runner-up).
        language = "zh" if _CJK.search(text) else "en"
        keep = {i for i, doc in enumerate(self.docs) if doc.language == language} or set(range(len(self.docs)))
        best_row: dict[int, int] = {}
        for r, d in enumerate(self.rows):
            if d not in keep:
                continue
            if d not in best_row or combined[r] > combined[best_row[d]]:
                best_row[d] = r
        ranked = sorted(best_row.items(), key=lambda item: -combined[item[1]])[:3]
        candidates = tuple(
            Candidate(self.docs[d], float(combined[r]), float(row_cos[r]), float(share[r])) for d, r in ranked
        )
        top = candidates[0]
        margin = top.score - candidates[1].score if len(candidates) > 1 else top.score
        return Match(candidates, confidence(top.cosine, top.bm25, margin))

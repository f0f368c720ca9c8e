"""FAQ retrieval over a brand's approved FAQ: a fused score of the multilingual sentence encoder's cosine and BM25 over
normalised terms (interaction/query_text.py: jieba words and character bigrams for Chinese, stemmed words for English,
shared-meaning terms added), read against every question variant and the approved answer of each entry, plus which
product the comment is about. No Django here: the index is built from plain FaqDoc values.

Per entry, in the comment's language (docs/live-interaction.md, "Matching and the decision"), with Weights w:

    score = max(cos(variants), w.answer * cos(answer), w.sibling * cos(the translation's variants))
          + w.bm25 * max(BM25 share of a variant, w.answer * BM25 share of the answer)
          + w.product * (cos(comment, the entry's product profile) - the best product profile's cosine)

The BM25 share is an entry's BM25 over the most the comment could score (its own known terms), so it is 0..1 like
the cosine. A product profile is the mean embedding of all of that product's FAQ texts: "一杯有多少毫升" leans to the
mug's entries without anyone naming a product. The translation is found by the index (_siblings): the catalog does
not link language versions. The weights were chosen on the tuning half of bench/data/interaction_paraphrases.yaml
(bench/bench_interaction.py --tune).

The confidence is a logistic calibration of (cosine, BM25 share, margin over the runner-up, share of the comment's
content words the FAQ never uses) fitted per language on that same tuning half (data/calibration.json, `--fit`), so
0.8 means about 80 % of comments with that confidence were matched to the right entry; off-topic comments and
shopping questions the FAQ does not answer count as wrong."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from interaction.query_text import content_words, is_chinese, normalise, terms

CALIBRATION = Path(__file__).resolve().parent / "data" / "calibration.json"
K1 = 1.2
B = 0.75
# The mutual best cross-language pair of one product must be at least this alike (the demo's pairs: 0.60-0.81;
# the most alike non-pair 0.39).
SIBLING_MIN_COSINE = 0.5


@dataclass(frozen=True)
class Weights:
    """The fusion's weights, chosen on the tuning half of the paraphrase set (bench/bench_interaction.py --tune)."""

    answer: float = 1.0  # the approved answer's cosine and BM25 count against the variants' at this discount
    bm25: float = 0.35  # BM25 share beside the cosine
    product: float = 1.0  # product profile affinity (0 for the comment's likeliest product, negative for the others)
    sibling: float = 1.0  # the same entry in the other language: its variants' cosine counts at this discount


WEIGHTS = Weights()


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
    score: float  # the fused ranking score (see the module's docstring)
    cosine: float  # the best cosine of the entry's texts
    bm25: float  # the best BM25 share of the entry's texts, 0..1


@dataclass(frozen=True)
class Match:
    candidates: tuple[Candidate, ...]  # best first, at most 3
    confidence: float  # calibrated probability that the first candidate is right
    unknown: float = 0.0  # share of the comment's terms that no FAQ text uses ("上新品" in "什么时候上新品")

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def tokens(text: str) -> list[str]:
    return terms(text)


@lru_cache(maxsize=1)
def calibration() -> dict[str, tuple[float, ...]]:
    data = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    return {lang: (*(float(c[f]) for f in FEATURES), float(c["bias"])) for lang, c in data["languages"].items()}


FEATURES = ("cosine", "bm25", "margin", "unknown")


def confidence(cosine: float, bm25: float, margin: float, unknown: float, language: str) -> float:
    """Calibrated P(top candidate is right), with the coefficients fitted for the comment's language."""
    table = calibration()
    *coefficients, bias = table.get(language) or next(iter(table.values()))
    z = bias + sum(c * x for c, x in zip(coefficients, (cosine, bm25, margin, unknown), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


class FaqIndex:
    def __init__(
        self,
        docs: Sequence[FaqDoc],
        encode: Callable[[list[str]], np.ndarray],
        weights: Weights = WEIGHTS,
    ) -> None:
        self.docs = list(docs)
        self.weights = weights
        self._encode = encode
        self.rows: list[int] = []  # row -> doc index
        is_answer: list[bool] = []
        texts: list[str] = []
        for i, doc in enumerate(self.docs):
            for text, answer in [(q, False) for q in (doc.question, *doc.variants)] + [(doc.answer, True)]:
                if text.strip():
                    self.rows.append(i)
                    is_answer.append(answer)
                    texts.append(normalise(text))
        self.row_doc = np.asarray(self.rows, dtype=np.int64)
        self.is_answer = np.asarray(is_answer, dtype=bool)
        self.vectors = encode(texts) if texts else np.zeros((0, 512), dtype=np.float32)
        # The product's name is not added to each text's terms: it would make every entry of a product share
        # its words ("保温杯" gave every mug entry "保温"); which product a comment is about is the profiles' job.
        row_terms = [Counter(terms(t, normalised=True)) for t in texts]
        lengths = np.asarray([sum(c.values()) for c in row_terms] or [0], dtype=np.float64)
        self.avg_len = float(lengths.mean()) if texts else 1.0
        n = max(len(texts), 1)
        df: Counter[str] = Counter()
        for counts in row_terms:
            df.update(counts.keys())
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        # The words the FAQ uses, for the confidence's "unknown" feature: its terms and its texts' own content words.
        self.known_words = set(self.idf) | {w for t in texts for w in content_words(t)}
        # Postings: term -> (rows, idf-weighted BM25 contribution): a comment costs its own terms, not the FAQ's size.
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for r, counts in enumerate(row_terms):
            norm = K1 * (1 - B + B * lengths[r] / self.avg_len)
            for term, tf in counts.items():
                rows, contrib = postings.setdefault(term, ([], []))
                rows.append(r)
                contrib.append(self.idf[term] * tf * (K1 + 1) / (tf + norm))
        self.postings = {t: (np.asarray(r), np.asarray(c)) for t, (r, c) in postings.items()}
        # Product profiles: the mean embedding of each product's texts (all languages).
        products = sorted({d.product for d in self.docs})
        self.doc_product = np.asarray([products.index(d.product) for d in self.docs], dtype=np.int64)
        profiles = np.zeros((len(products), self.vectors.shape[1]), dtype=np.float32)
        for p in range(len(products)):
            mask = self.doc_product[self.row_doc] == p if len(self.rows) else np.zeros(0, dtype=bool)
            if mask.any():
                v = self.vectors[mask].mean(axis=0)
                profiles[p] = v / max(float(np.linalg.norm(v)), 1e-12)
        self.profiles = profiles
        self.sibling = self._siblings()
        self.doc_language = [d.language for d in self.docs]

    def _siblings(self) -> np.ndarray:
        """Each entry's translation, where the brand wrote the same question in the other language: the entry of the
        same product and the other language whose texts are mutually the most alike (the encoder is cross-lingual),
        and alike enough. -1 where none. The catalog has no explicit link between language versions."""
        n = len(self.docs)
        sibling = np.full(n, -1, dtype=np.int64)
        if not len(self.rows):
            return sibling
        means = np.zeros((n, self.vectors.shape[1]), dtype=np.float32)
        np.add.at(means, self.row_doc, self.vectors)
        means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
        sim = means @ means.T
        language = np.asarray([d.language for d in self.docs])
        other = (language[:, None] != language[None, :]) & (self.doc_product[:, None] == self.doc_product[None, :])
        sim = np.where(other, sim, -1.0)
        best = sim.argmax(axis=1)
        for i in range(n):
            j = int(best[i])
            if sim[i, j] >= SIBLING_MIN_COSINE and int(best[j]) == i:
                sibling[i] = j
        return sibling

    def _bm25_share(self, query: list[str]) -> np.ndarray:
        scores = np.zeros(len(self.rows), dtype=np.float64)
        most = 0.0
        for term, tf in Counter(query).items():
            posting = self.postings.get(term)
            if posting is None:
                continue
            scores[posting[0]] += posting[1]
            # The most this term could add: a text made of exactly the comment's own known terms.
            norm = K1 * (1 - B + B * len(query) / self.avg_len)
            most += self.idf[term] * tf * (K1 + 1) / (tf + norm)
        return np.minimum(scores / most, 1.0) if most > 0 else scores

    def match_many(self, texts: list[str]) -> list[Match]:
        if not self.docs or not texts:
            return [Match((), 0.0) for _ in texts]
        clean = [normalise(t) for t in texts]
        queries = self._encode([c or t for c, t in zip(clean, texts, strict=True)])
        cosines = queries @ self.vectors.T
        affinity = queries @ self.profiles.T
        return [self._match(clean[i], cosines[i], affinity[i]) for i in range(len(texts))]

    def match(self, text: str) -> Match:
        return self.match_many([text])[0]

    def _match(self, text: str, row_cos: np.ndarray, affinity: np.ndarray) -> Match:
        w = self.weights
        share = self._bm25_share(terms(text, normalised=True))
        words = content_words(text)
        unknown = sum(1 for t in words if t not in self.known_words) / len(words) if words else 0.0
        n = len(self.docs)
        cos_w = np.where(self.is_answer, w.answer * row_cos, row_cos)
        bm_w = np.where(self.is_answer, w.answer * share, share)
        doc_cos = np.full(n, -np.inf)
        doc_bm = np.zeros(n)
        np.maximum.at(doc_cos, self.row_doc, cos_w)
        np.maximum.at(doc_bm, self.row_doc, bm_w)
        if w.sibling:
            question_cos = np.full(n, -np.inf)
            np.maximum.at(question_cos, self.row_doc, np.where(self.is_answer, -np.inf, row_cos))
            borrowed = np.where(self.sibling >= 0, question_cos[self.sibling], -np.inf)
            doc_cos = np.maximum(doc_cos, w.sibling * borrowed)
        product = affinity[self.doc_product] - affinity.max() if len(affinity) else np.zeros(n)
        score = doc_cos + w.bm25 * doc_bm + w.product * product
        # A comment in Chinese is answered from the Chinese entries and one in English from the English ones, when the
        # brand has any in that language (the same question in two languages would otherwise be its own runner-up).
        language = "zh" if is_chinese(text) else "en"
        keep = np.asarray([lang == language for lang in self.doc_language])
        if not keep.any():
            keep[:] = True
        score = np.where(keep & np.isfinite(doc_cos), score, -np.inf)
        ranked = [int(d) for d in np.argsort(-score, kind="stable")[:3] if np.isfinite(score[d])]
        if not ranked:
            return Match((), 0.0)
        candidates = tuple(
            Candidate(self.docs[d], float(score[d]), float(doc_cos[d]), float(doc_bm[d])) for d in ranked
        )
        top = candidates[0]
        margin = top.score - candidates[1].score if len(candidates) > 1 else top.score
        return Match(candidates, confidence(top.cosine, top.bm25, margin, unknown, language), unknown)

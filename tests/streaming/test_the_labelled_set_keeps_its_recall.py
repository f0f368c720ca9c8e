"""The labelled set (tests/streaming/data/linter_labelled.tsv, 200+ zh/en sentences from rules.md's lists) keeps
recall and precision floors, overall and per family, so a word-list or normaliser regression fails."""

from __future__ import annotations

from streaming.linter.evaluation import evaluate, read_samples


def test_the_set_is_big_enough_and_covers_both_languages() -> None:
    samples = read_samples()
    assert len(samples) >= 200
    assert {s.language for s in samples} == {"zh", "en"}
    assert sum(1 for s in samples if not s.families) >= 50  # negatives


def test_recall_and_precision_stay_above_their_floors() -> None:
    scores = evaluate(read_samples())
    overall = scores.pop("overall")
    assert overall.recall >= 0.95, overall.misses
    assert overall.precision >= 0.95
    for family, score in scores.items():
        assert score.recall >= 0.9, (family, score.misses)
        assert score.precision >= 0.9, (family, score.false_alarms)

from __future__ import annotations

import pytest

from render.engine.speech import VISEMES, TimedUnit, synthesize
from render.engine.speech.visemes import (
    FALLBACK_VISEME,
    MOUTH_SHAPES,
    SEGMENTS,
    phonemes_to_visemes,
    segment,
    unmapped_letters,
)

MANDARIN = (
    "本直播由人工智能生成。欢迎来到我们的直播间，现在下单立减五十元！这款保湿面霜特别适合干性皮肤，"
    "点击下方小黄车购买。女儿绿色，学习，雪，军，全，选，熊，穷，窗，说，热，而且，四十四，次，字，草，约，月，云，用。"
)
ENGLISH = (
    "This livestream is AI-generated. The quick brown fox jumps over the lazy dog. Thank you, measure, judge, "
    "church, vision, yellow, wood, sing, ring, bath, other, boy, cow, hour, care, fear, pure, thought, father, bird."
)


def test_the_set_has_fifteen_classes_each_with_a_mouth_shape() -> None:
    assert len(VISEMES) == 15
    assert set(MOUTH_SHAPES) == set(VISEMES)
    assert {viseme for viseme, _weight in SEGMENTS.values()} <= set(VISEMES)


@pytest.mark.parametrize(
    ("phoneme", "expected"),
    [
        ("p", ["PP"]),
        ("m", ["PP"]),
        ("f", ["FF"]),
        ("ð", ["TH"]),
        ("ts.", ["CH"]),  # zh
        ("ts.h", ["CH"]),  # ch
        ("ʐ", ["CH"]),  # r
        ("tɕh", ["CH"]),  # q
        ("tsh", ["SS"]),  # c
        ("y", ["U"]),  # ü is rounded
        ("i.", ["I"]),  # the apical vowel of zhi
        ("ər", ["RR"]),  # er
        ("ˈɑː", ["AA"]),  # stress and length do not change the shape
        ("iou", ["I", "O", "U"]),
        ("aɪ", ["AA", "I"]),
    ],
)
def test_it_maps_phonemes_to_the_visemes_the_lips_make(phoneme: str, expected: list[str]) -> None:
    assert [viseme for viseme, _weight in segment(phoneme)] == expected


def test_a_glide_gets_less_time_than_the_vowel_it_leads_into() -> None:
    (glide, glide_weight), (vowel, vowel_weight) = segment("ua")
    assert (glide, vowel) == ("U", "AA")
    assert glide_weight < vowel_weight


@pytest.mark.parametrize(("text", "language"), [(MANDARIN, "zh"), (ENGLISH, "en")])
def test_every_phoneme_espeak_produces_has_a_real_mapping(text: str, language: str) -> None:
    speech = synthesize(text, language=language)
    spoken = {unit.symbol for unit in speech.phonemes if unit.symbol != "sil"}
    assert {symbol for symbol in spoken if unmapped_letters(symbol) or not segment(symbol)} == set()


def test_an_unknown_phoneme_still_moves_the_mouth() -> None:
    assert unmapped_letters("ʘ") == ["ʘ"]
    assert segment("ʘ") == [(FALLBACK_VISEME, 1.0)]
    assert segment("sil") == []


def test_visemes_split_a_compound_final_over_its_duration() -> None:
    visemes = phonemes_to_visemes((TimedUnit("sil", 0.0, 0.1), TimedUnit("iou", 0.1, 0.35)))
    assert [v.symbol for v in visemes] == ["sil", "I", "O", "U"]
    assert visemes[1].duration_s == pytest.approx(0.05)  # glide: half weight of 2.5 shares
    assert visemes[-1].end_s == 0.35


def test_neighbouring_identical_visemes_merge() -> None:
    visemes = phonemes_to_visemes((TimedUnit("b", 0.0, 0.05), TimedUnit("m", 0.05, 0.1), TimedUnit("a", 0.1, 0.3)))
    assert [(v.symbol, v.start_s, v.end_s) for v in visemes] == [("PP", 0.0, 0.1), ("AA", 0.1, 0.3)]

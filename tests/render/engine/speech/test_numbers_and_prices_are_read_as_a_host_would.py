"""Prices, discounts, percentages and Latin words are spelled out before the neural G2P sees them, in the words a
live-commerce host would use."""

from __future__ import annotations

import pytest

from render.engine.speech.kokoro_backend import phonemes_for
from render.engine.speech.readings import normalize_english, normalize_mandarin, zh_integer


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("只要¥129.90", "只要一百二十九块九"),
        ("￥99", "九十九块"),
        ("¥8.05", "八块零五分"),
        ("全场85折", "全场八五折"),
        ("满200减30", "满二百减三十"),
        ("折扣高达50%", "折扣高达百分之五十"),
        ("5.5元", "五点五元"),
        ("订单号20261207", "订单号二零二六一二零七"),
    ],
)
def test_mandarin_readings(text: str, reading: str) -> None:
    assert normalize_mandarin(text) == reading


def test_mandarin_integers() -> None:
    assert [zh_integer(n) for n in ("10", "15", "105", "2000", "20005", "1000000")] == [
        "十", "十五", "一百零五", "两千", "两万零五", "一百万",
    ]  # fmt: skip


def test_english_prices_put_the_unit_after_the_amount() -> None:
    assert normalize_english("Only $29.90 today") == "Only 29 dollars 90 cents today"
    assert normalize_english("$1 off, 20% off") == "1 dollar off, 20 percent off"


def test_latin_words_in_a_mandarin_line_get_english_phonemes() -> None:
    phonemes = phonemes_for("VIP专享", "zh")
    assert phonemes.startswith("vˈɪp")  # espeak-ng's English IPA, not six letters the model cannot say
    assert "ꭧwa→n" in phonemes  # 专 zhuan1

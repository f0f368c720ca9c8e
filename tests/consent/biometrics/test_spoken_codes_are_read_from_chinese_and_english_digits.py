"""What Whisper writes for a spoken code becomes the code's digits, whether it was read in Mandarin or English."""

from __future__ import annotations

import pytest

from consent.biometrics.speech import code_heard, digits_in, runs


@pytest.mark.parametrize(
    ("transcript", "digits"),
    [
        ("My code is 4 7 1 9 3 0.", "471930"),
        ("My code is 4-7-1-9-30.", "471930"),
        ("my code is four seven one nine three zero", "471930"),
        ("Four, seven, one, nine, three, oh.", "471930"),
        ("我的验证码是四七一九三零", "471930"),
        ("验证码：四 七 幺 九 三 〇", "471930"),
        ("两五五八", "2558"),
        ("double seven two one triple nine", "7721999"),
        ("I want to go for a walk", ""),
        ("Code: 4 7 1 for 9 3", "471493"),
    ],
)
def test_digits_are_read_from_every_way_of_saying_them(transcript: str, digits: str) -> None:
    assert digits_in(transcript) == digits


def test_the_code_may_sit_among_other_digits() -> None:
    assert code_heard("I am 25. My code is 4 7 1 9 3 0, thanks", "471930")
    assert not code_heard("My code is 4 7 1 9 3 1", "471930")
    assert runs("12345678", 6) == ["123456", "234567", "345678"]
    assert runs("12345", 6) == []

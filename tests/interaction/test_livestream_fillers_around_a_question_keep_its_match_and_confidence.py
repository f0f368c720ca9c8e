"""Live comments wrap their question in fillers: 主播, 家人们, 宝宝们, 请问一下, "hey host … please". The matcher drops
them from its terms, never makes character bigrams across them (个杯, 们这), and does not count them as words the FAQ
does not know, so the comment ranks the same entry first as the bare question and stays confident."""

from __future__ import annotations

from tests.interaction.matcher_helpers import demo_index, key

PAIRS = [
    ("主播主播，这个杯子保温多久啊", "杯子保温多久"),
    ("家人们 多久发货", "多久发货"),
    ("请问一下多久能发货呀", "多久能发货"),
    ("宝宝们这个面霜适合油皮吗", "面霜适合油皮吗"),
    ("hey host, is it dishwasher safe please", "is it dishwasher safe"),
]


def test_fillers_keep_the_match() -> None:
    index = demo_index()
    for wrapped, bare in PAIRS:
        assert key(wrapped) == key(bare) != "", wrapped
        match = index.match(wrapped)
        assert match.unknown == 0.0, (wrapped, match.unknown)
        assert match.confidence >= 0.75, (wrapped, match.confidence)

"""Viewers type traditional characters, full-width letters and punctuation, @mentions, stickers, emoji and links
around their question: the matcher normalises all of it away (interaction/query_text.py), so each decorated comment
ranks the same FAQ entry first as its plain form, with about the same confidence."""

from __future__ import annotations

from interaction.query_text import normalise
from tests.interaction.matcher_helpers import demo_index, key

PAIRS = [
    ("這個杯子保溫多久？", "这个杯子保温多久?"),
    ("＠小美 多久發貨？？？😀😀", "多久发货?"),
    ("[微笑][微笑]可以退货吗！！！", "可以退货吗!"),
    ("ＷＨＥＮ ＤＯ ＹＯＵ ＳＨＩＰ？", "when do you ship?"),
    ("@shopfan99 is it dishwasher safe?? 🙏🙏 https://example.com/x", "is it dishwasher safe?"),
    ("Does it contain alcohol?!?!?!", "does it contain alcohol?"),
]


def test_what_carries_meaning_survives() -> None:
    # Repeated letters fold ("吗吗吗吗" to "吗吗"), repeated digits never: 1000 ml is not 100 ml.
    assert normalise("是１０００毫升吗吗吗吗") == "是1000毫升吗吗"
    assert normalise("Is it 0.5 L???") == "is it 0.5 l?"


def test_decorations_do_not_change_the_match() -> None:
    index = demo_index()
    for decorated, plain in PAIRS:
        assert normalise(decorated) == plain, decorated
        assert key(decorated) == key(plain) != "", decorated
        assert abs(index.match(decorated).confidence - index.match(plain).confidence) < 0.05, decorated

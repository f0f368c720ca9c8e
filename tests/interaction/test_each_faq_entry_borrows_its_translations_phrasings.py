"""The catalog does not link an entry to its translation, so the index pairs them itself: the entry of the same
product in the other language whose texts are mutually the most alike. Every demo entry finds its translation, and
none a different question; an English comment then also counts the Chinese entry's extra variants."""

from __future__ import annotations

from interaction.retrieval import FaqDoc, FaqIndex
from tests.interaction.matcher_helpers import demo_index


def test_every_demo_entry_pairs_with_its_translation() -> None:
    index = demo_index()
    for doc, sibling in zip(index.docs, index.sibling, strict=True):
        assert sibling >= 0, doc.public_id
        other = index.docs[int(sibling)]
        assert other.public_id.split(":")[0] == doc.public_id.split(":")[0]
        assert other.language != doc.language
        assert other.product == doc.product


def test_an_entry_with_no_translation_pairs_with_nothing() -> None:
    from interaction.encoder import encode

    docs = [
        FaqDoc(1, "a", "zh", "多久发货？", (), "下单后48小时内发货。", "面霜"),
        FaqDoc(2, "b", "en", "Is it dishwasher safe?", (), "Hand-wash the body.", "面霜"),
        FaqDoc(3, "c", "en", "When do you ship?", (), "Within 48 hours.", "杯子"),  # another product
    ]
    assert list(FaqIndex(docs, encode).sibling) == [-1, -1, -1]

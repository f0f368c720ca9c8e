"""The demo FAQ (interaction/data/demo_faq.yaml) as a retrieval index with the real encoder, no database: the
matcher's own tests read it the way the bench does."""

from __future__ import annotations

from functools import lru_cache

from interaction.demo_faq import demo_faq_data
from interaction.encoder import encode
from interaction.retrieval import FaqDoc, FaqIndex


@lru_cache(maxsize=1)
def demo_index() -> FaqIndex:
    docs: list[FaqDoc] = []
    for product in demo_faq_data()["products"]:
        for faq in product["faq"]:
            for lang in ("zh", "en"):
                item = faq[lang]
                docs.append(
                    FaqDoc(
                        faq_id=len(docs) + 1,
                        public_id=f"{faq['key']}:{lang}",
                        language=lang,
                        question=item["q"],
                        variants=tuple(item.get("v", [])),
                        answer=item["a"],
                        product=product["name"],
                    )
                )
    return FaqIndex(docs, encode)


def key(text: str) -> str:
    """The demo FAQ key the matcher ranks first for `text` ("" when nothing)."""
    best = demo_index().match(text).best
    return best.doc.public_id.split(":")[0] if best else ""

"""A brand's FAQ as a retrieval index, built once per process and rebuilt when the brand's FAQ changes (a cheap
fingerprint query: count and latest update)."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from interaction.encoder import encode
from interaction.retrieval import FaqDoc, FaqIndex
from streaming.models import FaqEntry

_cache: dict[int, tuple[tuple[object, ...], FaqIndex]] = {}
_lock = threading.Lock()


def faq_index_for(organisation_id: int) -> FaqIndex:
    rows = FaqEntry.objects.filter(product__organisation_id=organisation_id)
    fingerprint = tuple(rows.aggregate(n=Count("pk"), latest=Max("updated_at"), top=Max("pk")).values())
    with _lock:
        cached = _cache.get(organisation_id)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
    docs = [
        FaqDoc(
            faq_id=f.pk,
            public_id=str(f.public_id),
            language=f.language,
            question=f.question,
            variants=tuple(str(v) for v in (f.variants or []) if isinstance(v, str)),
            answer=f.answer,
            product=f.product.name,  # the product profiles and the cross-language siblings group entries by it
        )
        for f in rows.select_related("product").order_by("pk")
    ]
    index = FaqIndex(docs, encode)
    with _lock:
        _cache[organisation_id] = (fingerprint, index)
    return index

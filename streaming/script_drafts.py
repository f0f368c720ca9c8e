"""Draft lines from the generators (streaming.generation): the built-in template grammar or the configured
OpenAI-compatible LLM. Only turns catalog products into ProductFacts and generator failures into DomainErrors; the
caller (scripts.generate_script_draft) stores nothing when this raises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accounts.models import Organisation
from common.api import DomainError
from streaming.models import Product

BACKENDS = ("builtin", "llm")
# Upstream failures are the gateway's (502), a slow upstream its timeout (504); bad requests stay 400.
UPSTREAM_TIMEOUT = frozenset({"llm_timeout"})
UPSTREAM_FAILURE = frozenset({"llm_unreachable", "llm_http_error", "llm_malformed", "llm_empty", "llm_too_large"})


def _facts(product: Product) -> Any:
    from streaming.generation import ProductFacts

    return ProductFacts(
        id=str(product.public_id),
        name=product.name,
        price=product.price,
        currency=product.currency,
        original_price=product.original_price,
        selling_points=tuple(str(p) for p in product.selling_points or ()),
        category=product.category,
    )


def _error(exc: Any) -> DomainError:
    code = str(getattr(exc, "code", "generation_failed"))
    status = 504 if code in UPSTREAM_TIMEOUT else 502 if code in UPSTREAM_FAILURE else 400
    return DomainError(str(getattr(exc, "message", exc)), code=code, status_code=status)


def draft_lines(
    *, organisation: Organisation, products: Sequence[Product], language: str, backend: str, seed: int | None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The draft's lines (as create_script takes them) and what generated them ({"backend", "model"})."""
    from streaming.generation import GenerationError, generate_builtin
    from streaming.llm_config import llm_backend

    if backend not in BACKENDS:
        raise DomainError(f"backend must be one of {', '.join(BACKENDS)}.", code="invalid_backend", status_code=400)
    facts = [_facts(p) for p in products]
    model = ""
    try:
        if backend == "llm":
            client = llm_backend()
            if client is None:
                raise DomainError(
                    "No language model is configured (VERACAST_LLM_URL); use the built-in generator.",
                    code="llm_not_configured",
                    status_code=400,
                )
            model = client.model
            drafted = client.generate(products=facts, language=language, brand_name=organisation.name)
        else:
            drafted = generate_builtin(products=facts, language=language, brand_name=organisation.name, seed=seed)
    except GenerationError as exc:
        raise _error(exc) from None
    return [line.as_dict() for line in drafted], {"backend": backend, "model": model}

"""Generating without products, in a language other than zh/en, or with an absurd loop count is a GenerationError
with a stable code and a message in both languages."""

from __future__ import annotations

import pytest

from streaming.generation import GenerationError, generate_builtin
from tests.streaming.generation.helpers import product


@pytest.mark.parametrize(
    ("products", "language", "loops", "code"),
    [
        ([], "zh", 1, "no_products"),
        ([product()], "fr", 1, "unsupported_language"),
        ([product()], "zh", 0, "invalid_request"),
        ([product()], "zh", 1000, "invalid_request"),
    ],
)
def test_bad_requests_raise_a_coded_error(products: list, language: str, loops: int, code: str) -> None:
    with pytest.raises(GenerationError) as raised:
        generate_builtin(products=products, language=language, brand_name="Acme", loops=loops)
    assert raised.value.code == code
    assert raised.value.message
    assert raised.value.message_zh
    assert raised.value.message != raised.value.message_zh

"""Generating with the LLM backend: a timeout is 504 llm_timeout and malformed JSON 502 llm_malformed, with nothing
stored; a banned claim the model writes stays in the stored draft as a blocking finding."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.models import Script
from streaming.scripts import latest_version
from streaming.services import generate_script_draft
from tests.streaming.generation.helpers import chat_server, completion, lines_reply
from tests.streaming.scripts.helpers import DISCLOSURE, lipstick


def _generate(personas: dict[str, Any], product: Any) -> Any:
    return generate_script_draft(
        organisation=personas["acme"],
        actor=personas["alice"],
        product_ids=[str(product.public_id)],
        language="zh",
        backend="llm",
    )


def test_llm_failures_and_a_banned_claim(personas: dict[str, Any], settings: Any) -> None:
    product = lipstick(personas)
    settings.LLM_MODEL = "local-model"
    settings.LLM_API_KEY_FILE = ""
    settings.LLM_TIMEOUT_S = 0.5
    with chat_server(lines_reply([]), delay_s=2.0) as server:
        settings.LLM_URL = server.url
        with pytest.raises(DomainError) as timed_out:
            _generate(personas, product)
    assert (timed_out.value.code, timed_out.value.status_code) == ("llm_timeout", 504)
    with chat_server(lambda _request: completion("{not json")) as server:
        settings.LLM_URL = server.url
        with pytest.raises(DomainError) as malformed:
            _generate(personas, product)
    assert (malformed.value.code, malformed.value.status_code) == ("llm_malformed", 502)
    assert not Script.objects.exists()
    assert not LedgerEvent.objects.filter(kind__startswith="script.").exists()

    banned = [
        {"text": DISCLOSURE, "intent": "disclosure", "product_ids": []},
        {"text": "这款丝绒口红是全网最低价！", "intent": "product", "product_ids": [str(product.public_id)]},
    ]
    with chat_server(lines_reply(banned)) as server:
        settings.LLM_URL = server.url
        script = _generate(personas, product)
    version = latest_version(script)
    assert version.source == "llm"
    assert version.generator == {"backend": "llm", "model": "local-model"}
    assert any(f["severity"] == "block" and "全网最低" in f["matched"] for f in version.findings), version.findings
    generated = LedgerEvent.objects.get(subject=script.subject, kind="script.generated").payload_data
    assert (generated["backend"], generated["model"]) == ("llm", "local-model")

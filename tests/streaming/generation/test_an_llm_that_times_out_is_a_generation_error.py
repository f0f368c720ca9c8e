"""A server slower than the configured timeout gives GenerationError "llm_timeout", after about the timeout."""

from __future__ import annotations

import time

import pytest

from streaming.generation import ChatCompletionsBackend, GenerationError
from tests.streaming.generation.helpers import chat_server, lines_reply, product


def test_a_slow_server_times_out() -> None:
    reply = lines_reply([{"text": "本直播由人工智能生成。", "intent": "disclosure"}])
    with chat_server(reply, delay_s=3.0) as server:
        backend = ChatCompletionsBackend(url=server.url, model="m", timeout_s=0.3)
        started = time.monotonic()
        with pytest.raises(GenerationError) as raised:
            backend.generate(products=[product()], language="zh", brand_name="Acme")
        elapsed = time.monotonic() - started
    assert raised.value.code == "llm_timeout"
    assert "0.3 s" in raised.value.message
    assert elapsed < 2.5

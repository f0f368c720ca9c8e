"""Every way an LLM server can fail is a GenerationError with its own stable code and a message in both languages:
an HTTP error status, no server at all, a body that is not JSON, no choices, content that is not the JSON lines
asked for, no lines, and absurd sizes."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

import pytest

from streaming.generation import ChatCompletionsBackend, GenerationError
from streaming.generation.chat import MAX_LINE_CHARS, MAX_LINES, MAX_RESPONSE_BYTES
from tests.streaming.generation.helpers import Reply, chat_server, completion, product


def _content(content: str) -> Reply:
    return lambda _request: completion(content)


def _lines(lines: list[Any]) -> Reply:
    return _content(json.dumps({"lines": lines}, ensure_ascii=False))


CASES: list[tuple[str, Reply, str]] = [
    ("http 500", lambda _r: (500, b'{"error": {"message": "model crashed"}}'), "llm_http_error"),
    ("http 401", lambda _r: (401, b'{"error": "bad key"}'), "llm_http_error"),
    ("body not json", lambda _r: (200, b"<html>gateway</html>"), "llm_malformed"),
    ("no choices", lambda _r: (200, b'{"choices": []}'), "llm_malformed"),
    ("content not text", lambda _r: (200, b'{"choices": [{"message": {"content": 7}}]}'), "llm_malformed"),
    ("content not json", _content("当然！以下是脚本：本直播由人工智能生成"), "llm_malformed"),
    ("no lines list", _content('{"script": "hello"}'), "llm_malformed"),
    ("a line without text", _lines([{"intent": "greet"}]), "llm_malformed"),
    ("zero lines", _lines([]), "llm_empty"),
    ("only blank lines", _lines([{"text": "  "}]), "llm_empty"),
    ("too many lines", _lines([{"text": "大家好"}] * (MAX_LINES + 1)), "llm_too_large"),
    ("a line too long", _lines([{"text": "好" * (MAX_LINE_CHARS + 1)}]), "llm_too_large"),
    ("a huge body", lambda _r: (200, b" " * (MAX_RESPONSE_BYTES + 10)), "llm_too_large"),
]


@pytest.mark.parametrize(("name", "reply", "code"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_answer_is_a_coded_error(name: str, reply: Reply, code: str) -> None:
    with chat_server(reply) as server:
        backend = ChatCompletionsBackend(url=server.url, model="m", timeout_s=5)
        with pytest.raises(GenerationError) as raised:
            backend.generate(products=[product()], language="zh", brand_name="Acme")
    assert raised.value.code == code, name
    assert raised.value.message
    assert raised.value.message_zh


def test_no_server_listening_is_unreachable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, with nothing listening on it now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = ChatCompletionsBackend(url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=5)
    with pytest.raises(GenerationError) as raised:
        backend.generate(products=[product()], language="zh", brand_name="Acme")
    assert raised.value.code == "llm_unreachable"


def test_a_server_that_does_not_speak_http_is_malformed() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]

        def answer_garbage() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

        thread = threading.Thread(target=answer_garbage, daemon=True)
        thread.start()
        backend = ChatCompletionsBackend(url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=5)
        with pytest.raises(GenerationError) as raised:
            backend.generate(products=[product()], language="zh", brand_name="Acme")
        thread.join(timeout=5)
    assert raised.value.code == "llm_malformed"


@pytest.mark.parametrize(
    "url", ["ftp://example.com/v1", "file:///etc/passwd", "localhost:8000", "http://[bad/v1", "http://host:port/v1", ""]
)
def test_a_url_that_is_not_http_is_refused_when_the_backend_is_built(url: str) -> None:
    with pytest.raises(GenerationError) as raised:
        ChatCompletionsBackend(url=url, model="m")
    assert raised.value.code == "invalid_backend"

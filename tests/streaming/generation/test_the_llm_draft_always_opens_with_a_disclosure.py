"""When the model's first line is not an AI disclosure, the built-in disclosure line is put first; when it is one,
it is kept and tagged "disclosure". An intent outside the render vocabulary becomes "idle"."""

from __future__ import annotations

from streaming.generation import ChatCompletionsBackend
from streaming.linter import is_disclosure
from tests.streaming.generation.helpers import chat_server, lines_reply, product


def _generate(lines: list[dict], language: str = "zh") -> list:
    with chat_server(lines_reply(lines)) as server:
        return ChatCompletionsBackend(url=server.url, model="m").generate(
            products=[product(language=language)], language=language, brand_name="Acme"
        )


def test_a_missing_disclosure_is_prepended() -> None:
    lines = _generate([{"text": "大家好，欢迎来到直播间！", "intent": "greet"}])
    assert [line.intent for line in lines] == ["disclosure", "greet"]
    assert is_disclosure(lines[0].text)


def test_a_real_person_claim_is_not_taken_for_a_disclosure() -> None:
    lines = _generate([{"text": "I'm an AI host. Just kidding, I am a real person!", "intent": "disclosure"}], "en")
    assert len(lines) == 2
    assert is_disclosure(lines[0].text)
    assert lines[0].language == "en"
    assert lines[1].text.startswith("I'm an AI host. Just kidding")


def test_the_models_own_disclosure_is_kept_and_tagged() -> None:
    lines = _generate([{"text": "本直播由人工智能生成。", "intent": "greet"}, {"text": "嗨", "intent": "wave"}])
    assert [(line.text, line.intent) for line in lines] == [("本直播由人工智能生成。", "disclosure"), ("嗨", "idle")]

"""Models often wrap their JSON in a ```json fence although asked not to; the backend accepts it."""

from __future__ import annotations

import json

import pytest

from streaming.generation import ChatCompletionsBackend
from tests.streaming.generation.helpers import chat_server, completion, product

LINES = {
    "lines": [
        {"text": "This livestream is AI-generated.", "intent": "disclosure"},
        {"text": "Hello everyone!", "intent": "greet"},
    ]
}


@pytest.mark.parametrize("fence", ["```json\n{}\n```", "```\n{}\n```", "  ```JSON\n{}```  ", "{}"])
def test_fenced_or_bare_json_gives_the_same_lines(fence: str) -> None:
    content = fence.replace("{}", json.dumps(LINES))
    with chat_server(lambda _r: completion(content)) as server:
        lines = ChatCompletionsBackend(url=server.url, model="m").generate(
            products=[product(language="en")], language="en", brand_name="Acme"
        )
    assert [(line.text, line.intent) for line in lines] == [
        ("This livestream is AI-generated.", "disclosure"),
        ("Hello everyone!", "greet"),
    ]

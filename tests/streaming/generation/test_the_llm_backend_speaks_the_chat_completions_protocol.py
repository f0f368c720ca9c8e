"""The LLM backend POSTs a chat-completions request (model, a system and a user message, temperature; a Bearer key
when configured) to <url>/chat/completions, and turns the JSON lines of the answer into draft lines."""

from __future__ import annotations

import json

from streaming.generation import ChatCompletionsBackend, DraftLine
from tests.streaming.generation.helpers import chat_server, lines_reply, product

LINES = [
    {"text": "本直播由人工智能生成，我是AI数字人主播。", "intent": "disclosure", "product_ids": []},
    {"text": "大家好，欢迎来到直播间！", "intent": "greet", "product_ids": []},
    {"text": "这款面霜的价格是199元。", "intent": "price", "product_ids": ["p-cosmetics-1", "not-a-product"]},
]


def test_the_request_and_the_parsed_lines() -> None:
    item = product("cosmetics", index=1)
    with chat_server(lines_reply(LINES)) as server:
        backend = ChatCompletionsBackend(url=server.url + "/", model="qwen2.5-7b-instruct", api_key="sk-test")
        lines = backend.generate(products=[item], language="zh", brand_name="Acme")
    assert len(server.received) == 1
    request = server.received[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test"
    assert request.body["model"] == "qwen2.5-7b-instruct"
    assert isinstance(request.body["temperature"], float)
    system, user = request.body["messages"]
    assert (system["role"], user["role"]) == ("system", "user")
    assert "JSON" in system["content"]
    assert "disclosure" in system["content"]
    facts = json.loads(user["content"])
    assert facts["brand"] == "Acme"
    assert facts["language"] == "zh"
    assert facts["products"][0] | {"selling_points": None} == {
        "id": "p-cosmetics-1",
        "name": item.name,
        "price": "9.9",
        "currency": "CNY",
        "category": "cosmetics",
        "category_name": "Cosmetics",
        "selling_points": None,
    }
    assert lines == [
        DraftLine(LINES[0]["text"], "zh", "disclosure", ()),
        DraftLine(LINES[1]["text"], "zh", "greet", ()),
        DraftLine(LINES[2]["text"], "zh", "price", ("p-cosmetics-1",)),  # an id not given is dropped
    ]


def test_a_url_that_already_names_the_endpoint_is_used_as_is_and_no_key_sends_no_header() -> None:
    with chat_server(lines_reply(LINES)) as server:
        backend = ChatCompletionsBackend(url=server.url + "/chat/completions", model="m")
        backend.generate(products=[product()], language="en", brand_name="Acme")
    assert server.received[0].path == "/v1/chat/completions"
    assert "Authorization" not in server.received[0].headers
    assert "English" in server.received[0].body["messages"][0]["content"]

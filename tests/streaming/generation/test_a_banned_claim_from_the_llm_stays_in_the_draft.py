"""The backend checks shape, not wording: a banned claim the model writes is kept in the draft verbatim, where the
linter finds it and a reviewer must fix or override it (the issue's "the draft keeps the finding")."""

from __future__ import annotations

from streaming.generation import ChatCompletionsBackend
from streaming.linter import ScriptLine, lint_script
from tests.streaming.generation.helpers import chat_server, lines_reply, product

CLAIM = "这款面霜是全网最低价，还能治疗痘痘！"


def test_the_claim_is_kept_and_the_linter_blocks_it() -> None:
    reply = lines_reply(
        [
            {"text": "本直播由人工智能生成。", "intent": "disclosure"},
            {"text": CLAIM, "intent": "product", "product_ids": ["p-cosmetics-1"]},
        ]
    )
    with chat_server(reply) as server:
        lines = ChatCompletionsBackend(url=server.url, model="m").generate(
            products=[product("cosmetics")], language="zh", brand_name="Acme"
        )
    assert lines[1].text == CLAIM
    findings = lint_script(
        [ScriptLine(line.text, line.language) for line in lines], language="zh", category="cosmetics"
    )
    blocking = {(f.family, f.matched) for f in findings if f.blocking}
    assert ("absolute", "全网最低价") in blocking
    assert ("medical", "治疗") in blocking

"""Products for generation tests (one per category, in both languages) and a small local server that speaks the
OpenAI-compatible chat-completions protocol, so the LLM backend is tested over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from streaming.categories import CODES
from streaming.generation import ProductFacts
from streaming.linter import ProductRef

ZH_POINTS = ("质地轻盈，上手很舒服", "包装小巧，方便随身携带", "颜色有三种可以选")
EN_POINTS = ("light and easy to use", "small enough to carry around", "comes in three colours")
PRICES = (Decimal("199.00"), Decimal("9.90"), Decimal("1299.50"), Decimal("68"), Decimal("0.99"))


def product(category: str = "cosmetics", *, language: str = "zh", index: int = 1, **changes: Any) -> ProductFacts:
    values: dict[str, Any] = {
        "id": f"p-{category}-{index}",
        "name": f"{'样品' if language == 'zh' else 'Sample item'} {index}",
        "price": PRICES[index % len(PRICES)],
        "currency": "CNY",
        "original_price": None,
        "selling_points": ZH_POINTS if language == "zh" else EN_POINTS,
        "category": category,
    }
    return ProductFacts(**(values | changes))


def every_category(language: str) -> list[ProductFacts]:
    return [product(code, language=language, index=i) for i, code in enumerate(CODES, start=1)]


def refs(products: list[ProductFacts]) -> dict[str, ProductRef]:
    """The products as the linter knows them, so each line is checked against its own product's price."""
    return {p.id: ProductRef(id=p.id, name=p.name, category=p.category, price=p.price) for p in products}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeChatServer:
    url: str
    received: list[Received] = field(default_factory=list)


Reply = Callable[[dict[str, Any]], tuple[int, bytes]]


def completion(content: str) -> tuple[int, bytes]:
    """A 200 answer carrying `content` as the assistant message, as chat-completions servers send it."""
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    }
    return 200, json.dumps(body, ensure_ascii=False).encode()


def lines_reply(lines: list[dict[str, Any]]) -> Reply:
    return lambda _request: completion(json.dumps({"lines": lines}, ensure_ascii=False))


@contextmanager
def chat_server(reply: Reply, *, delay_s: float = 0.0) -> Iterator[FakeChatServer]:
    """Serve `reply(request_body)` on 127.0.0.1 at a free port; every request is recorded on the result."""
    server_state = FakeChatServer(url="")
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            body = json.loads(raw) if raw else {}
            server_state.received.append(Received(self.path, dict(self.headers.items()), body))
            if delay_s:
                stop.wait(delay_s)
            status, payload = reply(body)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield server_state
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

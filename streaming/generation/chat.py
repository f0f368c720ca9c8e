"""The optional LLM backend: any server speaking the OpenAI-compatible chat-completions protocol (a local vLLM,
Ollama or llama.cpp server, or a hosted API), at the URL and model the operator configures.

The model is asked for JSON lines; what comes back is checked for shape and size, never for wording: a banned claim
the model writes stays in the draft, where the linter flags it and a reviewer must fix or override it. Only the
stdlib speaks HTTP here, so the pure package needs no client library.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from streaming.categories import BY_CODE
from streaming.generation.builtin import disclosure_line, format_amount
from streaming.generation.types import INTENTS, DraftLine, GenerationError, ProductFacts, language_code
from streaming.linter import is_disclosure

# A script is a few dozen lines; anything far beyond these is a misbehaving server, refused before it is parsed.
MAX_RESPONSE_BYTES = 1_000_000
MAX_LINES = 200
MAX_LINE_CHARS = 1000  # render's per-call TTS limit (render/engine/speech/text.py MAX_TEXT_CHARS)
TEMPERATURE = 0.7
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)

SYSTEM_PROMPT = """You write live-commerce selling scripts for an AI host (a digital human) in China.
Answer with JSON only, no prose: {"lines": [{"text": "...", "intent": "...", "product_ids": ["..."]}]}.
Rules:
- Write every line in LANGUAGE. One spoken sentence or two per line, under 120 characters.
- The first line says the livestream is AI-generated and the host is an AI (intent "disclosure").
- intent is one of: greet, follow, product, price, cart, thanks, faq, disclosure, idle. A line's words must fit its
  intent (a price line talks about the price, a follow line asks to follow).
- product_ids lists the ids of the products a line talks about (from the facts given), or is empty.
- State prices exactly as given, in the given currency; never mention an original or earlier price.
- China's Advertising Law applies: no absolute terms (best, No.1, 最, 第一, 顶级, 国家级...), no medical or curative
  claims, no disease prevention, no state or government endorsement, no invented urgency ("today only", "last 3"),
  never claim the host is a real person. Health food must be said not to replace medicine.
- Use only the facts given; do not invent features, awards or numbers."""


def _error(code: str, en: str, zh: str) -> GenerationError:
    return GenerationError(code, en, zh)


def _endpoint(url: str) -> str:
    url = url.strip()
    try:
        parsed = urlparse(url)
        valid = parsed.scheme in ("http", "https") and bool(parsed.hostname) and (parsed.port or 1) > 0
    except ValueError:  # "http://[bad", "http://host:port/"
        valid = False
    if not valid:
        raise _error(
            "invalid_backend",
            f"The LLM URL must be an http(s) URL, not {url!r}.",
            f"大模型地址必须是 http(s) 地址，而不是 {url!r}。",
        )
    base = url.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


def _facts(products: Sequence[ProductFacts], language: str, brand_name: str) -> dict[str, Any]:
    return {
        "language": language,
        "brand": brand_name,
        "products": [
            {
                "id": p.id,
                "name": p.name,
                "price": format_amount(p.price) if p.price is not None else None,
                "currency": p.currency,
                "category": p.category,
                "category_name": BY_CODE[p.category].en if p.category in BY_CODE else p.category,
                "selling_points": list(p.selling_points),
            }
            for p in products
        ],
    }


def strip_fences(content: str) -> str:
    """Models often wrap JSON in a ```json fence despite being asked not to."""
    match = _FENCE.match(content)
    return match.group(1) if match else content.strip()


class ChatCompletionsBackend:
    """POSTs {model, messages: [system, user], temperature} to `<url>/chat/completions` (or to `url` as is when it
    already ends so) and turns `choices[0].message.content` into draft lines.

    Lines: text required (blank ones dropped); an intent outside INTENTS becomes "idle" (a still avatar never
    contradicts what is said; the reviewer retags it); product ids not among the given products are dropped. When
    the model's first line is not an AI disclosure (streaming.linter.is_disclosure), the built-in disclosure line is
    put first, so every draft opens with one."""

    def __init__(self, *, url: str, model: str, api_key: str = "", timeout_s: float = 20.0) -> None:
        self.endpoint = _endpoint(url)
        if not model.strip():
            raise _error("invalid_backend", "The LLM model name is empty.", "未配置大模型名称。")
        if not timeout_s > 0:
            raise _error("invalid_backend", "The LLM timeout must be positive.", "大模型超时时间必须大于0。")
        self.model = model.strip()
        self.api_key = api_key
        self.timeout_s = float(timeout_s)

    def __repr__(self) -> str:  # never the key
        return f"ChatCompletionsBackend(endpoint={self.endpoint!r}, model={self.model!r})"

    def request_body(self, *, products: Sequence[ProductFacts], language: str, brand_name: str) -> dict[str, Any]:
        lang = language_code(language)
        system = SYSTEM_PROMPT.replace("LANGUAGE", "Simplified Chinese (zh-CN)" if lang == "zh" else "English")
        user = json.dumps(_facts(products, lang, brand_name), ensure_ascii=False)
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": TEMPERATURE,
        }

    def generate(self, *, products: Sequence[ProductFacts], language: str, brand_name: str) -> list[DraftLine]:
        lang = language_code(language)
        if not products:
            raise _error(
                "no_products", "Choose at least one product to generate a script.", "请至少选择一个商品再生成脚本。"
            )
        body = self.request_body(products=products, language=lang, brand_name=brand_name)
        content = _content(self._post(body))
        lines = _lines(content, lang, {p.id for p in products})
        if not is_disclosure(lines[0].text):
            lines.insert(0, disclosure_line(language=lang, brand_name=brand_name))
        else:
            first = lines[0]
            lines[0] = DraftLine(first.text, first.language, "disclosure", first.product_ids)
        return lines

    def _post(self, body: dict[str, Any]) -> bytes:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked to be http(s) in _endpoint)
            self.endpoint, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST"
        )
        deadline = time.monotonic() + self.timeout_s
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310 (http(s) only, see _endpoint)
                return _read_capped(response, deadline)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise _error(
                "llm_http_error",
                f"The LLM server answered HTTP {exc.code} ({exc.reason}).",
                f"大模型服务返回了 HTTP {exc.code}（{exc.reason}）。",
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise self._timeout() from None
            raise _error(
                "llm_unreachable",
                f"The LLM server at {self.endpoint} cannot be reached ({exc.reason}).",
                f"无法连接大模型服务 {self.endpoint}（{exc.reason}）。",
            ) from None
        except TimeoutError:
            raise self._timeout() from None
        except http.client.HTTPException as exc:  # not HTTP at all, or cut short mid-body
            raise _error(
                "llm_malformed",
                f"The LLM server at {self.endpoint} did not answer in HTTP ({type(exc).__name__}).",
                f"大模型服务 {self.endpoint} 的响应不是有效的 HTTP（{type(exc).__name__}）。",
            ) from None
        except OSError as exc:
            raise _error(
                "llm_unreachable",
                f"The connection to the LLM server at {self.endpoint} failed ({exc}).",
                f"与大模型服务 {self.endpoint} 的连接失败（{exc}）。",
            ) from None

    def _timeout(self) -> GenerationError:
        return _error(
            "llm_timeout",
            f"The LLM server did not answer within {self.timeout_s:g} s.",
            f"大模型服务在 {self.timeout_s:g} 秒内没有响应。",
        )


def _read_capped(response: Any, deadline: float) -> bytes:
    """Read at most MAX_RESPONSE_BYTES, within the overall deadline (the socket timeout alone would let a server
    that drips one byte at a time hold a worker forever)."""
    chunks: list[bytes] = []
    size = 0
    read = getattr(response, "read1", response.read)  # read1 returns after one receive, so the deadline is checked
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise _error(
                "llm_too_large",
                f"The LLM answer is larger than {MAX_RESPONSE_BYTES} bytes.",
                f"大模型返回的内容超过 {MAX_RESPONSE_BYTES} 字节。",
            )
        chunks.append(chunk)


def _malformed(what: str, what_zh: str) -> GenerationError:
    return _error("llm_malformed", f"The LLM answer is malformed: {what}.", f"大模型返回的格式不正确：{what_zh}。")


def _content(raw: bytes) -> str:
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _malformed("the body is not JSON", "响应体不是 JSON") from None
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise _malformed("no choices[0].message.content", "缺少 choices[0].message.content") from None
    if not isinstance(content, str):
        raise _malformed("the message content is not text", "消息内容不是文本")
    return content


def _lines(content: str, language: str, product_ids: set[str]) -> list[DraftLine]:
    try:
        data = json.loads(strip_fences(content))
    except ValueError:
        raise _malformed("the message is not the JSON asked for", "消息不是所要求的 JSON") from None
    items = data.get("lines") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise _malformed('no "lines" list', "缺少 lines 列表")
    if len(items) > MAX_LINES:
        raise _error(
            "llm_too_large",
            f"The LLM returned {len(items)} lines; at most {MAX_LINES} are accepted.",
            f"大模型返回了 {len(items)} 行，最多接受 {MAX_LINES} 行。",
        )
    lines: list[DraftLine] = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise _malformed(f"line {number} has no text", f"第 {number} 行没有文本")
        text = " ".join(item["text"].split())
        if not text:
            continue
        if len(text) > MAX_LINE_CHARS:
            raise _error(
                "llm_too_large",
                f"Line {number} from the LLM has {len(text)} characters; at most {MAX_LINE_CHARS}.",
                f"大模型返回的第 {number} 行有 {len(text)} 个字符，最多 {MAX_LINE_CHARS} 个。",
            )
        intent = item.get("intent")
        intent = intent.strip().lower() if isinstance(intent, str) else ""
        ids = item.get("product_ids")
        ids = ids if isinstance(ids, list) else []
        kept = tuple(dict.fromkeys(str(i) for i in ids if str(i) in product_ids))
        lines.append(DraftLine(text, language, intent if intent in INTENTS else "idle", kept))
    if not lines:
        raise _error("llm_empty", "The LLM returned no script lines.", "大模型没有返回任何脚本行。")
    return lines

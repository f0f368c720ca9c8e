"""What a generator takes and returns: the product facts a script may state, the draft lines it writes, and the one
error it raises. Plain values only, so the built-in generator, the LLM backend and their callers share them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# The intents a script line may carry: the gesture vocabulary of render/engine/avatar/choreography.py (INTENT_GESTURE),
# minus "agree", which is a reaction in live answers rather than a script line.
INTENTS: tuple[str, ...] = ("greet", "follow", "product", "price", "cart", "thanks", "faq", "disclosure", "idle")
LANGUAGES: tuple[str, ...] = ("zh", "en")


@dataclass(frozen=True)
class ProductFacts:
    """A catalog product as a script may speak of it. `category` is a code of streaming/categories.py. The original
    price is carried but never spoken by the built-in generator: saying it needs the evidence a reviewer checks."""

    id: str
    name: str
    price: Decimal | None
    currency: str
    original_price: Decimal | None
    selling_points: tuple[str, ...]
    category: str


@dataclass(frozen=True)
class DraftLine:
    """One generated line. A draft like any typed line: the linter and a human reviewer judge it afterwards."""

    text: str
    language: str  # "zh" or "en"
    intent: str  # one of INTENTS
    product_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "language": self.language,
            "intent": self.intent,
            "product_ids": list(self.product_ids),
        }


class GenerationError(Exception):
    """Generation failed. `code` is stable for callers and the API ("llm_timeout", "llm_unreachable",
    "llm_http_error", "llm_malformed", "llm_empty", "llm_too_large", "no_products", "unsupported_language",
    "invalid_backend"); `message` is English, `message_zh` its Chinese form."""

    def __init__(self, code: str, message: str, message_zh: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_zh = message_zh or message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def language_code(language: str) -> str:
    """'zh-CN', 'zh_Hans', 'en-US' -> 'zh' / 'en'; anything else is refused."""
    code = language.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise GenerationError(
            "unsupported_language",
            f"Scripts are generated in zh or en, not {language!r}.",
            f"脚本只能用中文（zh）或英文（en）生成，不支持 {language!r}。",
        )
    return code

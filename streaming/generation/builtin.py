"""The built-in script generator: a seeded template grammar in zh-CN and English (templates.yaml).

A script loop opens with the AI disclosure, greets, presents each product (its selling points, the health-food notice
where the category needs one, the catalog price, the cart), asks for a follow and thanks. Every slot has several
alternatives; the RNG is seeded so a draft can be reproduced, and a line never repeats the text it had in the loop
before, so a looping live script does not say the same sentence twice in a row.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from streaming.generation.types import DraftLine, GenerationError, ProductFacts, language_code

TEMPLATES_PATH = Path(__file__).with_name("templates.yaml")
KINDS: dict[str, str] = {  # template kind -> the intent of its lines
    "disclosure": "disclosure",
    "greet": "greet",
    "product_intro": "product",
    "product_point": "product",
    "health_food_notice": "product",
    "price": "price",
    "cart": "cart",
    "follow": "follow",
    "thanks": "thanks",
}
VARIABLES = frozenset({"brand", "name", "point", "money"})
MAX_LOOPS = 20
# Names and selling points are the brand's own words; one too long for a sentence is left out (a name is replaced by
# "product number N") rather than cut mid-word. Lines stay well under render's 1,000-character TTS limit.
MAX_NAME_CHARS = 60
MAX_POINT_CHARS = 120
MAX_POINTS_PER_PRODUCT = 5
_REF = re.compile(r"<([a-z_]+)>")
_VAR = re.compile(r"\{([a-z_]+)\}")
_TRAILING = "。．.!！?？;；,，、:： "
# Currency codes spoken by name; any other code is said as its letters after the amount.
_CURRENCY_WORDS: dict[str, dict[str, str]] = {
    "zh": {"CNY": "元", "USD": "美元", "EUR": "欧元", "HKD": "港币", "GBP": "英镑", "JPY": "日元"},
    "en": {"CNY": "yuan", "USD": "US dollars", "EUR": "euros", "HKD": "Hong Kong dollars", "GBP": "pounds"},
}
_FALLBACK_BRAND = {"zh": "我们", "en": "our store"}


class TemplateFileError(ValueError):
    """templates.yaml names a slot or variable that does not exist, or lacks a kind."""


@cache
def load_templates(path: Path = TEMPLATES_PATH) -> Mapping[str, Mapping[str, Any]]:
    """The grammar per language, validated once: every kind present, every <slot> defined, only known variables."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TemplateFileError(f"{path.name}: expected a mapping of languages")
    for language in ("zh", "en"):
        grammar = data.get(language)
        if not isinstance(grammar, dict):
            raise TemplateFileError(f"{path.name}: no templates for {language!r}")
        slots = grammar.get("slots") or {}
        texts: list[tuple[str, str]] = []
        for name, alternatives in [*((k, grammar.get(k)) for k in KINDS), *slots.items()]:
            if not isinstance(alternatives, list) or not alternatives:
                raise TemplateFileError(f"{path.name}: {language}.{name} needs a non-empty list of alternatives")
            texts += [(name, str(text)) for text in alternatives]
        for name, text in texts:
            for ref in _REF.findall(text):
                if ref not in slots:
                    raise TemplateFileError(f"{path.name}: {language}.{name} names an unknown slot <{ref}>")
            for var in _VAR.findall(text):
                if var not in VARIABLES:
                    raise TemplateFileError(f"{path.name}: {language}.{name} uses an unknown variable {{{var}}}")
    return data


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


def _usable(text: str, language: str, limit: int) -> bool:
    """Whether catalog text can go into a line: not too long, and no Chinese characters for an English voice (it
    would read each one as "Chinese letter ...")."""
    return bool(text) and len(text) <= limit and not (language == "en" and any(_is_han(ch) for ch in text))


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(_TRAILING)


def format_amount(amount: Decimal) -> str:
    """The catalog price as said: plain digits, no grouping, no trailing zeros ("199", "9.9", "1299.5"), which the
    linter's price check (streaming/linter/prices.py) reads back as the same number."""
    text = f"{amount.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def spoken_money(amount: Decimal, currency: str, language: str) -> str:
    code = currency.strip().upper() or "CNY"
    word = _CURRENCY_WORDS[language].get(code, code)
    number = format_amount(amount)
    return f"{number}{word}" if language == "zh" and word != code else f"{number} {word}"


class _Grammar:
    """Expands templates with one RNG, remembering each line's previous text so the next loop says it differently."""

    def __init__(self, language: str, rng: random.Random) -> None:
        self.language = language
        self.grammar = load_templates()[language]
        self.slots: Mapping[str, list[str]] = self.grammar.get("slots") or {}
        self.rng = rng
        self.previous: dict[tuple[str, ...], str] = {}

    def _expand(self, text: str, depth: int = 0) -> str:
        if depth > 8:
            raise TemplateFileError("templates.yaml: slots nest too deeply (a slot names itself?)")
        return _REF.sub(lambda m: self._expand(self.rng.choice(self.slots[m.group(1)]), depth + 1), text)

    def line(self, kind: str, key: tuple[str, ...], values: Mapping[str, str]) -> str:
        alternatives: list[str] = self.grammar[kind]
        last = self.previous.get((kind, *key))
        text = ""
        for _attempt in range(12):
            template = self._expand(self.rng.choice(alternatives))
            text = _VAR.sub(lambda m: values[m.group(1)], template)
            if text != last:
                break
        self.previous[(kind, *key)] = text
        return text


def disclosure_line(*, language: str, brand_name: str = "", seed: int | None = None) -> DraftLine:
    """One AI disclosure line from the templates (what a script must open with), e.g. for a new empty script or to
    put before an LLM draft that lacks one."""
    lang = language_code(language)
    brand = _clean(brand_name)
    brand = brand if _usable(brand, lang, MAX_NAME_CHARS) else _FALLBACK_BRAND[lang]
    grammar = _Grammar(lang, random.Random(seed))  # noqa: S311 (wording variety, not secrecy)
    text = grammar.line("disclosure", (), {"brand": brand})
    return DraftLine(text=text, language=lang, intent="disclosure")


def generate_builtin(
    *,
    products: Sequence[ProductFacts],
    language: str,
    brand_name: str,
    seed: int | None = None,
    loops: int = 1,
) -> list[DraftLine]:
    """A draft script for `products` in `language` ("zh" or "en"), `loops` times over with varied wording. The same
    seed gives the same draft. Raises GenerationError ("no_products", "unsupported_language", "invalid_request")."""
    lang = language_code(language)
    if not products:
        raise GenerationError(
            "no_products", "Choose at least one product to generate a script.", "请至少选择一个商品再生成脚本。"
        )
    if not 1 <= loops <= MAX_LOOPS:
        raise GenerationError(
            "invalid_request", f"loops must be between 1 and {MAX_LOOPS}.", f"循环次数须在1到{MAX_LOOPS}之间。"
        )
    grammar = _Grammar(lang, random.Random(seed))  # noqa: S311 (wording variety, not secrecy)
    brand = _clean(brand_name)
    brand = brand if _usable(brand, lang, MAX_NAME_CHARS) else _FALLBACK_BRAND[lang]
    lines: list[DraftLine] = []

    def add(kind: str, key: tuple[str, ...], values: Mapping[str, str], product_ids: tuple[str, ...] = ()) -> None:
        text = grammar.line(kind, key, {"brand": brand, **values})
        if lang == "en":
            text = text[:1].upper() + text[1:]  # a product name may open the sentence ("product number 2 is ...")
        lines.append(DraftLine(text=text, language=lang, intent=KINDS[kind], product_ids=product_ids))

    for _loop in range(loops):
        add("disclosure", (), {})
        add("greet", (), {})
        for number, product in enumerate(products, start=1):
            ids = (product.id,)
            name = _clean(product.name)
            if not _usable(name, lang, MAX_NAME_CHARS):
                name = f"{number}号商品" if lang == "zh" else f"product number {number}"
            values = {"name": name}
            add("product_intro", (product.id,), values, ids)
            points = [_clean(p) for p in product.selling_points]
            points = [p for p in points if _usable(p, lang, MAX_POINT_CHARS)][:MAX_POINTS_PER_PRODUCT]
            for index, point in enumerate(points):
                add("product_point", (product.id, str(index)), {**values, "point": point}, ids)
            if product.category == "health_food":
                add("health_food_notice", (product.id,), values, ids)
            if product.price is not None:
                money = spoken_money(product.price, product.currency, lang)
                add("price", (product.id,), {**values, "money": money}, ids)
            add("cart", (product.id,), values, ids)
        add("follow", (), {})
        add("thanks", (), {})
    return lines

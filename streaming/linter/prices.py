"""Prices said in a line (¥/元/块/RMB/CNY, Arabic or Chinese numerals), for the comparison with the catalog.

"¥199", "199元", "RMB 199", "九块九" (9.9), "99块9" (99.9), "一百二十元", "一百二" (120, spoken), "1.5万元",
and a bare number after a price word ("到手价199！"). Each mention says whether it is a reference price ("原价299"),
which the urgency rules judge, or a discount amount ("立减30元", "满199减30"), which is not the selling price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from streaming.linter.loader import PriceRules
from streaming.linter.normalize import is_cjk

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ZH = r"[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?"
_NUM = rf"(?P<num>{_AR}|{_ZH})(?P<wan>万)?"
_CUR_BEFORE = r"(?:¥|rmb|cny|人民币)"
_CUR_AFTER = r"(?:元|块钱?|rmb|cny|yuan)"
_TAIL = r"(?:(?P<tail>[0-9零一二两三四五六七八九])(?:毛|角)?)?"
PRICE = re.compile(
    rf"{_CUR_BEFORE}\s*{_NUM}(?:\s*{_CUR_AFTER})?|{_NUM.replace('num', 'num2').replace('wan', 'wan2')}\s*{_CUR_AFTER}"
    + _TAIL
)
BARE = re.compile(rf"(?P<num>{_AR}|{_ZH})(?P<wan>万)?(?=\s*(?:[，,。!！?？~～…]|$))")


def zh_number(text: str) -> Decimal | None:
    """The value of a Chinese numeral ("一百二十" 120, "一百二" 120, "两万五" 25000, "九点九" 9.9)."""
    whole, _, fraction = text.partition("点")
    if whole and all(c in _DIGITS for c in whole) and len(whole) > 1:
        value = Decimal("".join(str(_DIGITS[c]) for c in whole))  # digit by digit: "一九九" 199
    else:
        total = section = num = 0
        previous = ""
        last_unit = 1
        for ch in whole:
            if ch in _DIGITS:
                num = _DIGITS[ch]
            elif ch in _UNITS:
                last_unit = _UNITS[ch]
                section += (num or 1) * last_unit
                num = 0
            elif ch == "万":
                total += (section + num) * 10000
                section = num = 0
                last_unit = 10000
            else:
                return None
            previous = ch
        if num and previous in _DIGITS and len(whole) > 1 and whole[-2] in {**_UNITS, "万": 1} and last_unit >= 100:
            num *= last_unit // 10  # spoken "一百二" is 120, "两万五" 25000
        value = Decimal(total + section + num)
    if fraction:
        if not all(c in _DIGITS for c in fraction):
            return None
        value += Decimal("0." + "".join(str(_DIGITS[c]) for c in fraction))
    return value


def _measure_word(text: str, match: re.Match[str], number: str, tail: str | None) -> bool:
    """ "一块面膜", "两块蛋糕": 块 after one Chinese digit and before a noun is a measure word, not money."""
    unit = text[match.start() :].lstrip("¥rmbcny人民币 ")[len(number) :].lstrip()
    return (
        len(number) == 1
        and number in _DIGITS
        and tail is None
        and unit.startswith("块")
        and not unit.startswith("块钱")
        and match.end() < len(text)
        and is_cjk(text[match.end()])
    )


def _value(number: str) -> Decimal | None:
    if number[:1].isdigit():
        try:
            return Decimal(number.replace(",", ""))
        except InvalidOperation:
            return None
    return zh_number(number)


@dataclass(frozen=True, slots=True)
class PriceMention:
    start: int  # in the normalised text
    end: int
    amount: Decimal
    reference: bool  # "原价299": a claim about an earlier price
    discount: bool  # "立减30元": an amount off, not the price


def find_prices(text: str, rules: PriceRules) -> list[PriceMention]:
    """Price mentions in normalised text."""
    found: list[PriceMention] = []
    taken: list[tuple[int, int]] = []
    for match in PRICE.finditer(text):
        number = match.group("num") or match.group("num2")
        amount = _value(number)
        if amount is None:
            continue
        if match.group("wan") or match.group("wan2"):
            amount *= 10000
        tail = match.group("tail")
        if _measure_word(text, match, number, tail):
            continue
        if tail is not None:
            tail_value = _value(tail)
            amount += (tail_value or Decimal(0)) / 10
        found.append(_mention(text, match.start(), match.end(), amount, rules))
        taken.append((match.start(), match.end()))
    for match in BARE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        if not rules.price_words.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        amount = _value(match.group("num"))
        if amount is None:
            continue
        if match.group("wan"):
            amount *= 10000
        found.append(_mention(text, match.start(), match.end(), amount, rules))
    return sorted(found, key=lambda m: m.start)


def _mention(text: str, start: int, end: int, amount: Decimal, rules: PriceRules) -> PriceMention:
    before = text[max(0, start - 10) : start]
    after = text[end : end + 6]
    return PriceMention(
        start=start,
        end=end,
        amount=amount,
        reference=bool(rules.reference.search(before)),
        discount=bool(rules.discount_before.search(before) or rules.discount_after.search(after)),
    )

"""Reading numbers, prices and Latin-script words as a host would, before a neural G2P sees the text.

A G2P reads what it is given: misaki's Mandarin front end turns "¥129.90" into "¥ 一百二十九点九零" and leaves "iPhone"
as six letters the model cannot pronounce, and espeak-ng reads "$129.90" as "dollar one hundred twenty nine point nine
zero". A live-commerce host says "一百二十九块九" and "a hundred and twenty-nine dollars ninety". These rules cover what
product lines contain (prices, percentages, discounts, counts, model numbers); anything else is left to the G2P.
"""

from __future__ import annotations

import re

_ZH_DIGITS = "零一二三四五六七八九"
# Currency sign → (Mandarin unit for the whole part, English unit singular, plural, English minor unit plural).
_CURRENCIES = {
    "¥": ("元", "yuan", "yuan", "fen"),
    "￥": ("元", "yuan", "yuan", "fen"),
    "$": ("美元", "dollar", "dollars", "cents"),
    "€": ("欧元", "euro", "euros", "cents"),
    "£": ("英镑", "pound", "pounds", "pence"),
}
_PRICE = re.compile(r"([¥￥$€£])\s?(\d+(?:,\d{3})*)(?:\.(\d{1,2}))?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?[%％]")
# "85折", "8.5折": a discount is read digit by digit ("八五折"), not as a quantity ("八十五折").
_DISCOUNT = re.compile(r"(\d)\.?(\d)?\s?折")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*(?:\s+[A-Za-z][A-Za-z0-9'\-]*)*")


def zh_integer(digits: str) -> str:
    """'129' → '一百二十九', '10' → '十', '20005' → '两万零五' (the reading, not digit by digit)."""
    value = int(digits)
    if value == 0:
        return "零"
    if value >= 10**12:
        return zh_digits(digits)
    parts: list[str] = []
    for unit, size in (("亿", 10**8), ("万", 10**4), ("", 1)):
        group, value = divmod(value, size)
        if group == 0:
            if parts and value and not parts[-1].endswith("零"):
                parts.append("零")
            continue
        text = _below_10000(group)
        if parts and group < 1000 and not parts[-1].endswith("零"):
            text = "零" + text
        parts.append(text + unit)
    reading = "".join(parts).rstrip("零")
    if reading.startswith("一十"):
        reading = reading[1:]  # "十五", not "一十五"
    return reading.replace("二千", "两千").replace("二万", "两万").replace("二亿", "两亿")


def _below_10000(value: int) -> str:
    text = ""
    zero = False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit, value = divmod(value, size)
        if digit:
            if zero and text:
                text += "零"
            text += _ZH_DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return text


def zh_digits(digits: str) -> str:
    return "".join(_ZH_DIGITS[int(d)] for d in digits)


def zh_number(number: str) -> str:
    whole, _, fraction = number.partition(".")
    reading = zh_integer(whole)
    return f"{reading}点{zh_digits(fraction)}" if fraction else reading


def _zh_price(match: re.Match[str]) -> str:
    unit = _CURRENCIES[match.group(1)][0]
    whole = zh_integer(match.group(2).replace(",", ""))
    cents = (match.group(3) or "").ljust(2, "0")
    if unit != "元":
        return f"{whole}{unit}" if cents == "00" else f"{whole}点{zh_digits(cents.rstrip('0'))}{unit}"
    # 129.90 → 一百二十九块九; 129.05 → 一百二十九块零五分; 129.00 → 一百二十九块.
    if cents == "00":
        return f"{whole}块"
    if cents[1] == "0":
        return f"{whole}块{_ZH_DIGITS[int(cents[0])]}"
    return f"{whole}块{_ZH_DIGITS[int(cents[0])]}{_ZH_DIGITS[int(cents[1])]}分"


def _zh_discount(match: re.Match[str]) -> str:
    return zh_digits(match.group(1) + (match.group(2) or "")) + "折"


def normalize_mandarin(text: str) -> str:
    """Prices, percentages, discounts and numbers in Chinese characters; Latin-script runs are left for the caller."""
    text = _PRICE.sub(_zh_price, text)
    text = _PERCENT.sub(lambda m: "百分之" + zh_number(m.group(1)), text)
    text = _DISCOUNT.sub(_zh_discount, text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s?[元块]", lambda m: zh_number(m.group(1)) + "元", text)
    # A run of 5+ digits with no unit (an order number, a phone number) is read digit by digit.
    text = re.sub(r"\d{5,}", lambda m: zh_digits(m.group(0)), text)
    return _NUMBER.sub(lambda m: zh_number(m.group(0)), text)


def _en_price(match: re.Match[str]) -> str:
    _unit, singular, plural, minor = _CURRENCIES[match.group(1)]
    whole = match.group(2).replace(",", "")
    cents = (match.group(3) or "").ljust(2, "0")
    name = singular if whole == "1" else plural
    return f"{whole} {name}" if cents == "00" else f"{whole} {name} {int(cents)} {minor}"


def normalize_english(text: str) -> str:
    """Prices read with their unit after the amount; espeak-ng reads the remaining numbers well."""
    text = _PRICE.sub(_en_price, text)
    return _PERCENT.sub(lambda m: f"{m.group(1)} percent", text)


def split_latin(text: str) -> list[tuple[bool, str]]:
    """Split Mandarin text into (is_latin, piece) runs, so English words inside a Chinese line get English G2P."""
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in _LATIN.finditer(text):
        if match.start() > position:
            pieces.append((False, text[position : match.start()]))
        pieces.append((True, match.group(0)))
        position = match.end()
    if position < len(text):
        pieces.append((False, text[position:]))
    return pieces

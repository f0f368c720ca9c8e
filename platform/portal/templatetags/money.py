"""Prices in the reader's language: `{{ product.price|money:product.currency }}`.

Renminbi reads "¥1299.00" in Chinese and "CNY 1,299.00" in English (the symbol alone is ambiguous outside China:
the yen uses it too); any other currency is its ISO code and the amount. Digits, separators and grouping come from
Django's formats for the active language (zh-Hans writes no thousands separator).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


@register.filter
def money(amount: Any, currency: str = "CNY") -> str:
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    number = formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    code = (currency or "CNY").upper()
    if code == "CNY" and (get_language() or "").startswith("zh"):
        return f"¥{number}"
    return f"{code} {number}"

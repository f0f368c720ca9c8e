"""Prices and dates follow the reader's language: renminbi as ¥1299.00 in Chinese and CNY 1,299.00 in English
(the `money` filter), dates as 2026年12月7日 or Dec. 7, 2026 (Django's formats); the catalog page shows them so."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

PRICE = Template('{% load money %}{{ price|money:currency }}|{{ day|date:"DATE_FORMAT" }}')


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("zh-hans", "CNY", "¥1299.00|2026年12月7日"),
        ("en", "CNY", "CNY 1,299.00|Dec. 7, 2026"),
        ("zh-hans", "USD", "USD 1299.00|2026年12月7日"),
        ("en", "usd", "USD 1,299.00|Dec. 7, 2026"),
    ],
)
def test_a_price_and_a_date_read_in_the_active_language(language: str, currency: str, expected: str) -> None:
    with translation.override(language):
        rendered = PRICE.render(Context({"price": Decimal("1299"), "currency": currency, "day": date(2026, 12, 7)}))
    assert rendered == expected


def test_an_empty_price_shows_nothing_and_a_non_number_shows_as_is() -> None:
    with translation.override("zh-hans"):
        assert Template("{% load money %}[{{ p|money }}]").render(Context({"p": None})) == "[]"
        assert Template("{% load money %}[{{ p|money }}]").render(Context({"p": "n/a"})) == "[n/a]"


@pytest.mark.django_db
def test_the_catalog_shows_yuan_to_a_chinese_reader_and_cny_to_an_english_one(portal_world: SimpleNamespace) -> None:
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    english = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    for client in (chinese, english):
        client.force_login(portal_world.alice)
    url = reverse("catalog:list")
    assert "¥1299.00" in chinese.get(url).content.decode()
    assert "CNY 1,299.00" in english.get(url).content.decode()

"""Prices and dates follow the reader's language: renminbi as ¥1299.00 in Chinese and CNY 1,299.00 in English
(the `money` filter), dates as 2026年12月7日 or 7 Dec 2026 and times as 24-hour clock times without periods (the
portal's formats modules, portal/formats/); the catalog page, a consent page and a script page show them so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

PRICE = Template('{% load money %}{{ price|money:currency }}|{{ day|date:"DATE_FORMAT" }}')
MOMENT = Template('{{ at|date:"DATETIME_FORMAT" }}|{{ at|date:"SHORT_DATETIME_FORMAT" }}')
# 06:30 UTC is 14:30 in Shanghai (settings.TIME_ZONE): an afternoon time, which Django's English default writes
# "2:30 p.m.", so a sentence ending in it would end in "p.m..".
AFTERNOON = datetime(2026, 12, 7, 6, 30, 5, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("language", "currency", "expected"),
    [
        ("zh-hans", "CNY", "¥1299.00|2026年12月7日"),
        ("en", "CNY", "CNY 1,299.00|7 Dec 2026"),
        ("zh-hans", "USD", "USD 1299.00|2026年12月7日"),
        ("en", "usd", "USD 1,299.00|7 Dec 2026"),
    ],
)
def test_a_price_and_a_date_read_in_the_active_language(language: str, currency: str, expected: str) -> None:
    with translation.override(language):
        rendered = PRICE.render(Context({"price": Decimal("1299"), "currency": currency, "day": date(2026, 12, 7)}))
    assert rendered == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "7 Dec 2026, 14:30|7 Dec 2026, 14:30:05"),
        ("zh-hans", "2026年12月7日 14:30|2026年12月7日 14:30:05"),
    ],
)
def test_a_moment_reads_in_the_active_language_on_a_24_hour_clock(language: str, expected: str) -> None:
    with translation.override(language):
        rendered = MOMENT.render(Context({"at": AFTERNOON}))
    assert rendered == expected
    assert "m." not in rendered


def test_no_template_writes_a_date_in_a_fixed_pattern_outside_the_technical_pages() -> None:
    """Pages use the named formats. The exceptions are technical records read as such in every language: the ledger
    (to the microsecond), the clip checker's time range (with its time zone) and <input type=date> values."""
    allowed = {
        "platform/audit/templates/audit/ledger_list.html",
        "platform/audit/templates/audit/ledger_event.html",
        "render/templates/render/check.html",
        "streaming/templates/streaming/includes/usage_range.html",
    }
    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        relative = template.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "node_modules/", "var/")) or relative in allowed:
            continue
        text = template.read_text()
        patterns = ('|date:"Y', "|date:'Y", '|date:"j', '|date:"N', '|date:"H')
        offenders.extend(f"{relative}: {pattern}" for pattern in patterns if pattern in text)
    assert offenders == []


@pytest.mark.django_db
def test_the_catalog_shows_yuan_to_a_chinese_reader_and_cny_to_an_english_one(portal_world: SimpleNamespace) -> None:
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    english = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    for client in (chinese, english):
        client.force_login(portal_world.alice)
    url = reverse("catalog:list")
    assert "¥1299.00" in chinese.get(url).content.decode()
    assert "CNY 1,299.00" in english.get(url).content.decode()


@pytest.mark.django_db
def test_the_members_page_reads_an_invitations_expiry_in_the_readers_language(portal_world: SimpleNamespace) -> None:
    from django.utils import timezone

    from accounts.models import Invitation

    # The one alice sent to newcomer@acme.example (portal_world.invitation is globex's, to iris).
    invitation = Invitation.objects.get(email="newcomer@acme.example")
    expires = timezone.localtime(invitation.expires_at)
    english, chinese = Client(HTTP_ACCEPT_LANGUAGE="en-GB"), Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    for client in (english, chinese):
        client.force_login(portal_world.alice)
    url = reverse("accounts-pages:members", args=[invitation.organisation.public_id])
    english_html = english.get(url).content.decode()
    chinese_html = chinese.get(url).content.decode()
    assert f"open until {expires.day} {expires:%b} {expires.year}, {expires:%H:%M}" in english_html
    assert f"{expires.year}年{expires.month}月{expires.day}日 {expires:%H:%M}" in chinese_html
    assert "p.m." not in english_html
    assert "a.m." not in english_html

"""Layout in Chromium, persona by persona, on each one's main pages (English, the longer labels):

- at 1280 px the header keeps its planned shape: the brand, the account and the language on one row and the whole
  navigation on one line below it, every link visible (nothing wraps, nothing scrolls out of sight);
- at 390 px (a phone) no page is wider than the screen: nothing scrolls sideways.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.portal.conftest import login, screenshot

pytestmark = pytest.mark.browser

PASSWORDS = {
    "iris": "iris-password-1",
    "alice": "alice-password-1",
    "bob": "bob-password-1",
    "audrey": "audrey-password-1",
    "sam": "sam-password-1",
}
# The tallest the header may be at 1280 px: one row for the brand and account, one for the navigation.
HEADER_MAX_PX = 116


def _pages(name: str, personas: dict[str, Any]) -> list[str]:
    acme = personas["acme"].public_id
    common = [reverse("portal:dashboard"), reverse("accounts-pages:my-invitations"), reverse("portal:api-tokens")]
    return (
        common
        + {
            "iris": [reverse("consent:my-consents"), reverse("consent:wizard")],
            "alice": [
                reverse("accounts-pages:members", args=[acme]),
                reverse("consent:brand", args=[acme]),
                reverse("render:avatars"),
                reverse("catalog:list"),
                reverse("scripts:list"),
                reverse("streams:list"),
            ],
            "bob": [reverse("streams:list"), reverse("render:avatars")],
            "audrey": [reverse("ledger-pages:events"), reverse("audit-exports:list")],
            "sam": [
                reverse("consent:review-queue"),
                reverse("accounts-pages:brand-reviews"),
                reverse("ledger-pages:events"),
            ],
        }[name]
    )


HEADER_SHAPE = """() => {
  const header = document.querySelector('.topbar');
  const links = [...document.querySelectorAll('#primary-nav li')];
  const list = document.querySelector('#primary-nav ul');
  return {
    height: header.getBoundingClientRect().height,
    rows: new Set(links.map((li) => Math.round(li.getBoundingClientRect().top))).size,
    hidden: list ? list.scrollWidth - list.clientWidth : 0,
  };
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("name", list(PASSWORDS))
def test_the_header_fits_at_1280_and_pages_fit_at_390(page: Any, personas: dict[str, Any], name: str) -> None:
    login(page, personas[name].email, PASSWORDS[name])
    pages = _pages(name, personas)

    page.set_viewport_size({"width": 1280, "height": 860})
    for url in pages:
        page.goto(url)
        shape = page.evaluate(HEADER_SHAPE)
        assert shape["rows"] == 1, f"{name} {url}: the navigation wraps onto {shape['rows']} lines"
        assert shape["hidden"] <= 0, f"{name} {url}: {shape['hidden']} px of navigation scroll out of sight"
        assert shape["height"] <= HEADER_MAX_PX, f"{name} {url}: the header is {shape['height']} px tall"
    screenshot(page, f"layout-1280-{name}")

    page.set_viewport_size({"width": 390, "height": 844})
    for url in pages:
        page.goto(url)
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{name} {url}: {overflow} px wider than a 390 px phone"
    screenshot(page, f"layout-390-{name}")

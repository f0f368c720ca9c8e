"""Each persona's dashboard in a real browser, with a screenshot each (test-artifacts/screenshots/)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.conftest import login, screenshot

pytestmark = pytest.mark.browser

PASSWORDS = {
    "iris": "iris-password-1",
    "alice": "alice-password-1",
    "bob": "bob-password-1",
    "audrey": "audrey-password-1",
    "sam": "sam-password-1",
    "victor": "victor-password-1",
    "charlie": "charlie-password-1",
}


def _open_dashboard(page: Any, personas: dict[str, Any], name: str) -> None:
    login(page, personas[name].email, PASSWORDS[name])
    assert page.get_by_role("heading", name=f"Welcome, {name.capitalize()}").is_visible()
    assert personas[name].email in page.get_by_test_id("account").inner_text()
    assert page.get_by_role("button", name="Log out").is_visible()


def _nav(page: Any) -> list[str]:
    return page.locator("#primary-nav a").all_inner_texts()


def test_influencer_iris_sees_the_consent_empty_state(page: Any, personas: dict[str, Any]) -> None:
    _open_dashboard(page, personas, "iris")

    assert _nav(page) == ["Overview", "Influencer", "My consents", "My likeness", "Invitations"]
    assert page.get_by_test_id("verification").get_by_text("Verified", exact=True).is_visible()
    assert page.get_by_test_id("consent-empty").get_by_text("You have not granted any consent yet.").is_visible()
    screenshot(page, "dashboard-influencer-iris")


def test_brand_owner_alice_sees_acme_and_its_members(page: Any, personas: dict[str, Any]) -> None:
    _open_dashboard(page, personas, "alice")

    assert _nav(page) == [
        "Overview",
        "Brands",
        "Consents · Acme",
        "Dashboard · Acme",
        "Members · Acme",
        "Invitations",
        "Avatars & streams",
        "Catalog",
        "Scripts",
        "Streams",
        "Compliance",
    ]
    rows = page.get_by_test_id("members-acme").locator("tbody tr")
    assert rows.count() == 4
    assert "Not verified: cannot supervise streams" in rows.filter(has_text="bob@acme.example").inner_text()
    screenshot(page, "dashboard-owner-alice")


def test_operator_bob_is_told_to_get_verified(page: Any, personas: dict[str, Any]) -> None:
    _open_dashboard(page, personas, "bob")

    assert _nav(page) == ["Overview", "Invitations", "Avatars & streams", "Catalog", "Scripts", "Streams", "Operator"]
    verification = page.get_by_test_id("verification")
    assert verification.get_by_text("Not verified", exact=True).is_visible()
    assert "Operators must be verified before they can supervise a livestream." in verification.inner_text()
    assert "You cannot supervise livestreams" in page.get_by_test_id("operator-acme").inner_text()
    screenshot(page, "dashboard-operator-bob")


def test_auditor_audrey_sees_the_acme_audit_section(page: Any, personas: dict[str, Any]) -> None:
    _open_dashboard(page, personas, "audrey")

    assert _nav(page) == [
        "Overview",
        "Invitations",
        "Avatars & streams",
        "Catalog",
        "Scripts",
        "Streams",
        "Audit",
        "Audit exports",
        "Ledger",
        "Compliance",
    ]
    assert page.get_by_test_id("audit-acme").is_visible()
    screenshot(page, "dashboard-auditor-audrey")


def test_staff_sam_sees_platform_totals(page: Any, personas: dict[str, Any]) -> None:
    _open_dashboard(page, personas, "sam")

    assert _nav(page) == [
        "Overview",
        "Invitations",
        "Avatars & streams",
        "Catalog",
        "Scripts",
        "Streams",
        "Audit exports",
        "Ledger",
        "Compliance",
        "Consent review",
        "Brand verification",
    ]
    # The staff tools that do not fit the header are linked from the Platform section of the dashboard.
    assert page.get_by_test_id("legal-holds-link").is_visible()
    assert page.get_by_test_id("admin-link").is_visible()
    assert "Organisations\n2" in page.get_by_test_id("platform-counts").inner_text()
    screenshot(page, "dashboard-staff-sam")

    # On a phone the menu folds behind a button (portal.js, loaded under the strict CSP).
    page.set_viewport_size({"width": 390, "height": 844})
    admin_link = page.locator("#primary-nav a[data-nav='brand-reviews']")
    assert not admin_link.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert admin_link.is_visible()
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "true"
    screenshot(page, "dashboard-staff-sam-phone")


def test_viewer_victor_sees_acme_read_only(page: Any, personas: dict[str, Any]) -> None:
    _open_dashboard(page, personas, "victor")

    org = page.get_by_test_id("org-acme")
    assert "As a viewer you can see the brand's activity but change nothing." in org.inner_text()
    assert page.get_by_test_id("members-acme").count() == 0
    screenshot(page, "dashboard-viewer-victor")

    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert "victor@acme.example" in page.get_by_test_id("account").inner_text()
    screenshot(page, "error-404")


def test_charlie_of_globex_sees_nothing_of_acme(page: Any, personas: dict[str, Any]) -> None:
    _open_dashboard(page, personas, "charlie")

    text = page.locator("body").inner_text()
    assert "Globex" in text
    assert "Acme" not in text
    assert "acme.example" not in page.content()
    screenshot(page, "dashboard-outsider-charlie")

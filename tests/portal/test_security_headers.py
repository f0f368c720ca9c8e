from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize("signed_in", [False, True], ids=["login page", "dashboard"])
def test_it_sends_the_security_headers_on_portal_pages(
    client: Client, personas: dict[str, Any], signed_in: bool
) -> None:
    if signed_in:
        client.force_login(personas["alice"])
    response = client.get(reverse("portal:dashboard") if signed_in else reverse("portal:login"))

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_it_has_no_inline_script_the_policy_would_block(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["alice"])

    html = client.get(reverse("portal:dashboard")).content.decode()

    assert "<script>" not in html
    assert re.search(r"<[^>]*\son[a-z]+\s*=", html) is None  # no inline event handlers either
    assert '<script src="/static/portal/portal.js" defer></script>' in html


def test_it_refuses_a_login_post_without_a_csrf_token(personas: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("portal:login"), {"username": "alice@acme.example", "password": "alice-password-1"})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session

from __future__ import annotations

from typing import Any

from django.test import Client, RequestFactory

from common.views import server_error


def test_a_missing_page_is_an_html_page_in_the_portal_layout(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["alice"])

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="topbar"' in html
    assert "alice@acme.example" in html
    assert response["X-Frame-Options"] == "DENY"


def test_a_missing_api_path_is_json_with_a_code(client: Client, db: Any) -> None:
    response = client.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_the_server_error_page_renders_for_an_anonymous_request(db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert 'href="/static/portal/portal.css"' in html

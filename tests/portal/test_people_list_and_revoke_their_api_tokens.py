"""The "API tokens" page under a person's account lists their working tokens (prefix, created, expiry, last use,
never the key) and revokes one with a button; someone else's token cannot be revoked from it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accounts import tokens
from accounts.models import ApiToken

URL = "/account/api-tokens/"


def test_the_page_lists_and_revokes(personas: dict[str, Any]) -> None:
    token, key = tokens.issue_api_token(user=personas["alice"])
    browser = Client()
    browser.force_login(personas["alice"])
    page = browser.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert token.prefix in html
    assert key not in html
    assert "Never" in html  # not used yet
    assert 'data-testid="api-tokens-link"' in html  # reachable from the account box

    after = browser.post(URL, {"token": str(token.public_id)}, follow=True)
    assert after.status_code == 200
    assert "is revoked" in after.content.decode()
    assert not ApiToken.objects.exists()


def test_another_persons_token_is_not_revoked(personas: dict[str, Any]) -> None:
    token, _key = tokens.issue_api_token(user=personas["alice"])
    browser = Client()
    browser.force_login(personas["bob"])
    assert token.prefix not in browser.get(URL).content.decode()
    for value in (str(token.public_id), "not-a-uuid", ""):
        answer = browser.post(URL, {"token": value}, follow=True)
        assert answer.status_code == 200
        assert "no longer exists" in answer.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_signed_out_people_are_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]

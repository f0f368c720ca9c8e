"""The sign-up form applies the password rules every account follows (AUTH_PASSWORD_VALIDATORS): a short, common,
all-digit or email-like password is refused with the rule's sentence, in English and in Chinese, and no account
is made."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FORM = {"display_name": "Nina", "stage_name": "Nina Sings", "email": "nina@creators.example"}


@pytest.mark.parametrize(
    ("password", "sentence"),
    [
        ("short-1", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("4815162342", "This password is entirely numeric."),
        ("nina@creators.example", "The password is too similar to the"),
    ],
)
def test_a_weak_password_is_refused_with_the_rules_sentence(client: Client, password: str, sentence: str) -> None:
    response = client.post("/signup/", {**FORM, "password": password})

    assert response.status_code == 400
    assert sentence in response.content.decode()
    assert not User.objects.filter(email="nina@creators.example").exists()


def test_the_refusal_is_in_chinese_for_a_chinese_browser(client: Client) -> None:
    response = client.post("/signup/", {**FORM, "password": "short-1"}, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert response.status_code == 400
    body = response.content.decode()
    assert "创建账户" in body
    assert "密码长度太短" in body

"""Signing up with an address that already has an account is refused with a sentence that names no account and
says to sign in instead (OWASP); nothing about the existing account changes, and its owner is told by email."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import InfluencerProfile, User

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_taken_address_is_refused_without_naming_the_account(client: Client, personas: dict[str, Any]) -> None:
    alice = personas["alice"]
    response = client.post(
        "/signup/",
        {
            "display_name": "Mallory",
            "stage_name": "Mal",
            "email": "ALICE@acme.example",
            "password": "violet-harbour-42",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "An account cannot be created with these details. If you already have a Veracast account, sign in" in body
    assert "alice@acme.example" not in body.lower().replace('value="alice@acme.example"', "")
    assert "Alice" not in body
    alice.refresh_from_db()
    assert alice.check_password("alice-password-1")
    assert not InfluencerProfile.objects.filter(user=alice).exists()
    assert User.objects.filter(email="alice@acme.example").count() == 1
    assert [message.to for message in mail.outbox] == [["alice@acme.example"]]
    assert "nothing was changed" in mail.outbox[0].body

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import InfluencerProfile, Membership, Organisation, RealNameRecord, User

IRIS_ID = "110101199001011237"


@pytest.fixture
def admin_client(personas: dict[str, Any]) -> Client:
    root = User.objects.create_superuser(email="root@veracast.example", password="root-password-1")
    client = Client()
    client.force_login(root)
    return client


@pytest.mark.parametrize("model", [User, Organisation, Membership, InfluencerProfile, RealNameRecord])
def test_every_accounts_model_has_a_changelist_and_a_change_page(admin_client: Client, model: Any) -> None:
    opts = model._meta
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert (
        admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200
    )


def test_the_real_name_page_shows_last4_and_method_but_no_name_birth_date_or_number(
    admin_client: Client, personas: dict[str, Any]
) -> None:
    record = RealNameRecord.objects.get(user=personas["iris"])
    for url in (
        reverse("admin:accounts_realnamerecord_change", args=[record.pk]),
        reverse("admin:accounts_realnamerecord_changelist"),
    ):
        page = admin_client.get(url).content.decode()
        assert "1237" in page
        assert "Resident ID card read over NFC" in page
        assert "Iris Example" not in page
        assert IRIS_ID not in page
        assert "1990" not in page
    change_page = admin_client.get(reverse("admin:accounts_realnamerecord_change", args=[record.pk])).content.decode()
    assert record.id_number_digest not in change_page
    assert record.id_number_kdf in change_page
    assert 'name="id_number_hash"' not in change_page  # shown, not editable


def test_records_with_rules_cannot_be_added_or_changed_in_the_admin(
    admin_client: Client, personas: dict[str, Any]
) -> None:
    record = RealNameRecord.objects.get(user=personas["iris"])
    assert admin_client.get(reverse("admin:accounts_realnamerecord_add")).status_code == 403
    assert admin_client.get(reverse("admin:accounts_membership_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:accounts_realnamerecord_change", args=[record.pk]), {"id_number_last4": "0000"}
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.id_number_last4 == "1237"


def test_a_user_can_be_added_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "newbie@example.com",
            "display_name": "Newbie",
            "usable_password": "true",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="newbie@example.com").check_password("a-long-enough-password-1")

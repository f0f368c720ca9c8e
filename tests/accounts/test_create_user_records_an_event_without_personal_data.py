from __future__ import annotations

import pytest

from accounts.models import User
from accounts.services import create_user
from audit.models import LedgerEvent
from common.api import DomainError


@pytest.mark.django_db
def test_it_creates_a_user_who_can_log_in_with_a_lowercased_email() -> None:
    user = create_user(email="Dana@Example.COM", password="dana-password-1", display_name="Dana")
    assert user.email == "dana@example.com"
    assert user.check_password("dana-password-1")
    assert not user.is_staff
    assert not user.is_platform_auditor


@pytest.mark.django_db
def test_it_records_a_user_created_event_with_public_id_and_flags_only() -> None:
    user = create_user(email="dana@example.com", password="dana-password-1", is_platform_auditor=True)
    event = LedgerEvent.objects.get(kind="user.created", subject=f"user:{user.public_id}")
    assert event.payload_data == {"user": str(user.public_id), "is_staff": False, "is_platform_auditor": True}
    assert "dana" not in str(event.payload)


@pytest.mark.django_db
def test_it_refuses_an_email_already_taken_in_any_case() -> None:
    create_user(email="dana@example.com", password="dana-password-1")
    with pytest.raises(DomainError) as refused:
        create_user(email="DANA@example.com", password="other-password-1")
    assert refused.value.detail.code == "email_taken"
    assert User.objects.count() == 1

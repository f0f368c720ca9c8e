from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from consent.gate import ConsentDenied, authorize_use
from consent.models import ConsentGrant
from consent.tasks import expire_consents_task
from tests.consent.helpers import active_grant

pytestmark = pytest.mark.django_db


def _use(personas: dict[str, Any], at: Any) -> ConsentGrant:
    return authorize_use(
        avatar=personas["iris"].influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        modalities=["face_likeness"],
        at=at,
    )


def test_the_gate_refuses_past_valid_until_before_any_task_runs(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey, valid_until=timezone.now() + timedelta(hours=1))
    assert _use(personas, timezone.now()).pk == grant.pk

    with pytest.raises(ConsentDenied) as denied:
        _use(personas, grant.valid_until)

    assert denied.value.reason == "expired"


def test_the_periodic_task_marks_expired_grants_with_a_ledger_event(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    still = active_grant(personas, template, passkey, brands=[personas["globex"]])
    ConsentGrant.objects.filter(pk=grant.pk).update(valid_until=timezone.now() - timedelta(seconds=1))

    assert expire_consents_task() == 1
    assert expire_consents_task() == 0

    grant.refresh_from_db()
    still.refresh_from_db()
    assert grant.status == ConsentGrant.Status.EXPIRED
    assert still.status == ConsentGrant.Status.ACTIVE
    assert LedgerEvent.objects.filter(subject=f"consent:{grant.public_id}", kind="consent.expired").count() == 1
    with pytest.raises(ConsentDenied) as denied:
        _use(personas, timezone.now())
    assert denied.value.reason == "expired"


def test_a_term_longer_than_twelve_months_is_refused(personas: dict[str, Any], template: Any) -> None:
    from common.api import DomainError
    from tests.consent.helpers import draft_grant

    with pytest.raises(DomainError) as refused:
        draft_grant(personas, template, valid_until=timezone.now() + timedelta(days=400))

    assert refused.value.code == "term_too_long"

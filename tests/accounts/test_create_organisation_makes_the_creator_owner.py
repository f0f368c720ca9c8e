from __future__ import annotations

import pytest

from accounts.models import Membership, Organisation
from accounts.services import create_organisation, create_user
from audit.models import LedgerEvent
from common.api import DomainError


@pytest.mark.django_db
def test_it_creates_the_organisation_with_its_creator_as_owner() -> None:
    dana = create_user(email="dana@example.com", password="dana-password-1")
    org = create_organisation(name="Initech", slug="initech", owner=dana)
    assert Membership.objects.get(organisation=org).role == Membership.Role.OWNER
    assert Membership.objects.get(organisation=org).user == dana


@pytest.mark.django_db
def test_it_records_the_creation_and_the_owner_membership_in_the_ledger() -> None:
    dana = create_user(email="dana@example.com", password="dana-password-1")
    org = create_organisation(name="Initech", slug="initech", owner=dana)
    events = list(LedgerEvent.objects.filter(subject=f"organisation:{org.public_id}").order_by("seq"))
    assert [event.kind for event in events] == ["organisation.created", "membership.set"]
    assert all(event.organisation_id == org.pk for event in events)
    assert events[0].actor == dana.ledger_actor
    assert events[1].payload_data == {"user": str(dana.public_id), "role": "owner", "previous_role": None}


@pytest.mark.django_db
def test_it_refuses_a_taken_slug_and_creates_nothing() -> None:
    dana = create_user(email="dana@example.com", password="dana-password-1")
    create_organisation(name="Initech", slug="initech", owner=dana)
    events_before = LedgerEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        create_organisation(name="Other Initech", slug="initech", owner=dana)
    assert refused.value.detail.code == "slug_taken"
    assert Organisation.objects.count() == 1
    assert LedgerEvent.objects.count() == events_before

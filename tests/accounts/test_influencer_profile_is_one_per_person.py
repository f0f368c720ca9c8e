from __future__ import annotations

from typing import Any

import pytest

from accounts.models import InfluencerProfile
from accounts.services import create_influencer_profile
from audit.models import LedgerEvent
from common.api import DomainError


def test_it_creates_a_profile_and_records_it(personas: dict[str, Any]) -> None:
    bob = personas["bob"]
    profile = create_influencer_profile(user=bob, stage_name="  Bob Sings  ")
    assert profile.stage_name == "Bob Sings"
    event = LedgerEvent.objects.get(kind="influencer.created", subject=f"influencer:{profile.public_id}")
    assert event.actor == bob.ledger_actor
    assert event.payload_data["user"] == str(bob.public_id)


def test_it_refuses_a_second_profile(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        create_influencer_profile(user=personas["iris"], stage_name="Iris Again")
    assert refused.value.detail.code == "influencer_exists"
    assert InfluencerProfile.objects.filter(user=personas["iris"]).count() == 1


def test_it_refuses_a_blank_stage_name(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        create_influencer_profile(user=personas["bob"], stage_name="   ")
    assert refused.value.detail.code == "stage_name_required"
    assert not InfluencerProfile.objects.filter(user=personas["bob"]).exists()

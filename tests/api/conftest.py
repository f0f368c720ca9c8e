"""Fixtures for API tests: an API client per persona, a platform auditor (paula), and row counts that prove a
refused request changed nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def paula(personas: dict[str, Any]) -> Any:
    """Paula is a platform auditor: she reads every organisation and writes nothing."""
    from accounts.services import create_user

    return create_user(
        email="paula@audit.example", password="paula-password-1", display_name="Paula", is_platform_auditor=True
    )


@pytest.fixture
def client_for(personas: dict[str, Any], paula: Any) -> Callable[[str], APIClient]:
    everyone = {**personas, "paula": paula}

    def make(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            client.force_authenticate(everyone[name])
        return client

    return make


def _counts() -> dict[str, int]:
    from accounts.models import ApiToken, InfluencerProfile, Membership, Organisation, RealNameRecord, User
    from audit.models import LedgerEvent

    models: list[Any] = [User, Organisation, Membership, InfluencerProfile, RealNameRecord, LedgerEvent, ApiToken]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def db_counts() -> Callable[[], dict[str, int]]:
    return _counts

"""The portal ships before, and must survive without, the audit ledger (not installed or not migrated)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from portal import selectors


@pytest.fixture
def no_ledger_model(monkeypatch: pytest.MonkeyPatch) -> None:
    real_get_model = apps.get_model

    def get_model(app_label: str, model_name: str | None = None, **kwargs: Any) -> Any:
        if (app_label, model_name) == ("audit", "LedgerEvent"):
            raise LookupError("App 'audit' doesn't have a 'LedgerEvent' model.")
        return real_get_model(app_label, model_name, **kwargs)

    monkeypatch.setattr(selectors.apps, "get_model", get_model)


def test_staff_still_get_their_dashboard_when_the_ledger_is_missing(
    client: Client, personas: dict[str, Any], no_ledger_model: None
) -> None:
    client.force_login(personas["sam"])

    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 200
    assert response.context["platform_ledger"].available is False
    assert "The audit ledger is not recording on this installation yet." in response.content.decode()


def test_an_unmigrated_ledger_table_counts_as_missing(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.models import LedgerEvent

    monkeypatch.setattr(LedgerEvent._meta, "db_table", "audit_ledgerevent_not_migrated")

    assert selectors.get_ledger_counts().available is False

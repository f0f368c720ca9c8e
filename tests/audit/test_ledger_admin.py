from __future__ import annotations

from typing import Any

from django.contrib.admin.sites import site
from django.test import RequestFactory

from audit.models import Checkpoint, LedgerEvent
from audit.services import record_event


def test_the_ledger_admin_is_strictly_read_only(db: Any) -> None:
    from accounts.models import User

    root = User.objects.create_superuser(email="root@veracast.example", password="root-password-1")
    request = RequestFactory().get("/admin/")
    request.user = root
    event = record_event(kind="k", subject="stream:1", payload={}, actor=None)

    for model in (LedgerEvent, Checkpoint):
        model_admin = site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, None)
        assert not model_admin.has_delete_permission(request, None)
        assert model_admin.get_actions(request) == {}
        assert set(model_admin.get_readonly_fields(request)) >= {"id", "hash"}
    assert "payload" in site._registry[LedgerEvent].get_readonly_fields(request, event)


def test_the_admin_changelist_shows_events_without_edit_controls(db: Any, client: Any) -> None:
    from accounts.models import User

    root = User.objects.create_superuser(email="root@veracast.example", password="root-password-1")
    client.force_login(root)
    event = record_event(kind="k", subject="stream:1", payload={}, actor=None)

    listing = client.get("/admin/audit/ledgerevent/")
    detail = client.get(f"/admin/audit/ledgerevent/{event.pk}/change/")

    assert listing.status_code == 200
    assert b"stream:1" in listing.content
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.post(f"/admin/audit/ledgerevent/{event.pk}/delete/").status_code == 403

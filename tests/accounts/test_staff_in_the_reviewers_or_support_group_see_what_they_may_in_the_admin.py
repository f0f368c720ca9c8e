"""The Django admin for staff who are not superusers: in the reviewers or support group they see the models their
group may read (no more), where staff in no group are told they may see nothing. The groups come from
accounts.staff_groups, synced after every migrate and by `manage.py sync_staff_groups`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from accounts.services import create_user
from accounts.staff_groups import REVIEWERS, STAFF_GROUPS, SUPPORT

NOTHING = "have permission to view or edit anything"


def _staff_in(group: str | None) -> Any:
    user = create_user(email=f"{group or 'nobody'}@veracast.example", password="staff-password-1", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.django_db
def test_staff_in_no_group_see_nothing(client: Client) -> None:
    client.force_login(_staff_in(None))
    assert NOTHING in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_support_reads_accounts_jobs_and_the_ledger_and_changes_nothing(client: Client) -> None:
    client.force_login(_staff_in(SUPPORT))
    index = client.get("/admin/").content.decode()
    assert NOTHING not in index
    for path in (
        "/admin/accounts/user/",
        "/admin/accounts/organisation/",
        "/admin/render/avatar/",
        "/admin/audit/ledgerevent/",
    ):
        assert path in index
        assert client.get(path).status_code == 200
    assert "/admin/consent/consentgrant/" not in index
    assert client.get("/admin/consent/consentgrant/").status_code == 403
    assert client.get("/admin/accounts/user/add/").status_code == 403


@pytest.mark.django_db
def test_reviewers_read_consents_and_brands(client: Client) -> None:
    client.force_login(_staff_in(REVIEWERS))
    index = client.get("/admin/").content.decode()
    assert "/admin/consent/consentgrant/" in index
    assert "/admin/accounts/organisation/" in index
    assert client.get("/admin/consent/consentgrant/").status_code == 200
    assert "/admin/accounts/user/" not in index


@pytest.mark.django_db
def test_the_command_restores_a_group_that_drifted() -> None:
    support = Group.objects.get(name=SUPPORT)
    support.permissions.clear()
    Group.objects.filter(name=REVIEWERS).delete()
    out = io.StringIO()

    call_command("sync_staff_groups", stdout=out)

    assert "reviewers: created" in out.getvalue()
    assert "support: updated" in out.getvalue()
    for name, wanted in STAFF_GROUPS.items():
        have = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}
        assert have == set(wanted)
    again = io.StringIO()
    call_command("sync_staff_groups", stdout=again)
    assert again.getvalue().count("up to date") == len(STAFF_GROUPS)

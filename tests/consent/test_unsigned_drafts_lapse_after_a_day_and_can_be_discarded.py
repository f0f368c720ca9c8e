"""Unsigned drafts are not consents: the influencer can discard one (API and page), and any draft lapses 24 hours
after it was drafted, by the periodic task or lazily when she next reads or acts on her grants. Both are ledgered,
and when nothing else of hers is under way the data key goes with the draft."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from consent import vault
from consent.models import ConsentGrant, DataKey
from consent.services import discard_draft
from consent.tasks import expire_drafts_task
from tests.consent.helpers import active_grant, draft_grant, sign_with_passkey, skip_statement

pytestmark = pytest.mark.django_db


def _age(grant: Any, hours: float) -> None:
    ConsentGrant.objects.filter(pk=grant.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_the_influencer_discards_a_draft_through_the_api(personas: dict[str, Any], template: Any, client: Any) -> None:
    draft = draft_grant(personas, template)
    client.force_login(personas["iris"])

    response = client.post(f"/api/v1/consent/grants/{draft.public_id}/discard/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "discarded"
    draft.refresh_from_db()
    assert draft.status == ConsentGrant.Status.DISCARDED
    assert draft.discarded_at is not None
    event = LedgerEvent.objects.get(subject=f"consent:{draft.public_id}", kind="consent.draft_discarded")
    assert event.payload_data["previous_status"] == "pending_statement"
    assert event.payload_data["why"] == "discarded"
    assert event.actor == f"user:{personas['iris'].public_id}"


def test_a_signed_grant_or_someone_elses_draft_cannot_be_discarded(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    signed = active_grant(personas, template, passkey)
    with pytest.raises(DomainError) as refused:
        discard_draft(grant=signed, actor=personas["iris"])
    assert (refused.value.code, refused.value.status_code) == ("grant_not_a_draft", 409)

    draft = draft_grant(personas, template)
    client.force_login(personas["bob"])
    response = client.post(f"/api/v1/consent/grants/{draft.public_id}/discard/")
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == ConsentGrant.Status.PENDING_STATEMENT


def test_the_periodic_task_expires_drafts_older_than_a_day(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    stale = skip_statement(draft_grant(personas, template))
    fresh = draft_grant(personas, template)
    signed = active_grant(personas, template, passkey)
    short = draft_grant(personas, template)
    for grant in (stale, signed):
        _age(grant, 25)
    _age(fresh, 23)
    ConsentGrant.objects.filter(pk=short.pk).update(valid_until=timezone.now() - timedelta(seconds=1))

    assert expire_drafts_task() == 2
    assert expire_drafts_task() == 0

    statuses = dict(ConsentGrant.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: "discarded",
        short.pk: "discarded",  # never `expired`: that would show an unsigned draft to the brand
        fresh.pk: "pending_statement",
        signed.pk: "active",
    }
    lapsed = LedgerEvent.objects.get(subject=f"consent:{short.public_id}", kind="consent.draft_expired")
    assert lapsed.payload_data["why"] == "valid_until_passed"
    event = LedgerEvent.objects.get(subject=f"consent:{stale.public_id}", kind="consent.draft_expired")
    assert event.payload_data["previous_status"] == "pending_signature"
    assert event.payload_data["why"] == "draft_ttl"
    assert event.actor == "system"
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "consent.tasks.expire_drafts_task" in schedule


def test_a_lapsed_draft_expires_when_it_is_read_or_signed(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    listed = draft_grant(personas, template)
    _age(listed, 25)
    client.force_login(personas["iris"])

    body = client.get("/api/v1/consent/grants/").json()

    assert [g["status"] for g in body if g["id"] == str(listed.public_id)] == ["discarded"]

    to_sign = skip_statement(draft_grant(personas, template))
    _age(to_sign, 25)
    with pytest.raises(DomainError) as refused:
        sign_with_passkey(to_sign, passkey, personas["iris"])
    assert refused.value.code == "draft_expired"
    to_sign.refresh_from_db()
    assert to_sign.status == ConsentGrant.Status.DISCARDED
    assert LedgerEvent.objects.filter(kind="consent.draft_expired").count() == 2


def test_discarding_the_last_draft_shreds_the_key_but_not_while_another_is_under_way(
    personas: dict[str, Any], template: Any
) -> None:
    influencer = personas["iris"].influencer
    first = draft_grant(personas, template)
    second = draft_grant(personas, template)
    sample = vault.store_object(influencer=influencer, kind="sample", source=io.BytesIO(b"pretend video"))

    discard_draft(grant=first, actor=personas["iris"])
    assert DataKey.objects.get(pk=sample.data_key_id).status == DataKey.Status.ACTIVE
    assert LedgerEvent.objects.get(kind="vault.key_retained").payload_data["why"] == "other_consents_live"

    discard_draft(grant=second, actor=personas["iris"])
    assert DataKey.objects.get(pk=sample.data_key_id).status == DataKey.Status.DESTROYED
    assert LedgerEvent.objects.get(kind="vault.key_destroyed").payload_data["reason"] == "discarded"


def test_the_draft_page_has_a_discard_button_and_brands_never_see_drafts(
    personas: dict[str, Any], template: Any, client: Any
) -> None:
    draft = draft_grant(personas, template)
    client.force_login(personas["iris"])
    page = client.get(f"/consent/grants/{draft.public_id}/").content.decode()
    assert 'data-testid="discard"' in page
    assert 'data-testid="revoke"' not in page

    discard_draft(grant=draft, actor=personas["iris"])
    client.force_login(personas["alice"])
    listed = client.get(f"/api/v1/organisations/{personas['acme'].public_id}/consent-grants/").json()
    assert listed == []

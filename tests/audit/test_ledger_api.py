"""The read-only auditor API: who sees which events, and that nothing but GET is accepted."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from audit.services import create_checkpoint, record_event
from audit.verify import verify_inclusion_proof

EVENTS = "/api/v1/ledger/events/"


@pytest.fixture
def ledger(personas: dict[str, Any]) -> dict[str, LedgerEvent]:
    acme, globex = personas["acme"], personas["globex"]
    return {
        "acme": record_event(
            kind="audit.test", subject="stream:acme-1", payload={"n": 1}, actor=personas["alice"], organisation=acme
        ),
        "acme2": record_event(
            kind="audit.other", subject="stream:acme-1", payload={"n": 2}, actor=None, organisation=acme
        ),
        "globex": record_event(
            kind="audit.test",
            subject="stream:globex-1",
            payload={"n": 3},
            actor=personas["charlie"],
            organisation=globex,
        ),
        "platform": record_event(kind="audit.test", subject="user:platform", payload={}, actor=None),
    }


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _ids(response: Any) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


def test_staff_see_every_event(personas: dict[str, Any], ledger: dict[str, LedgerEvent]) -> None:
    response = _client(personas["sam"]).get(EVENTS)

    assert response.status_code == 200
    assert {e.pk for e in ledger.values()} <= _ids(response)


def test_platform_auditors_see_every_event(personas: dict[str, Any], ledger: dict[str, LedgerEvent]) -> None:
    auditor = personas["victor"]
    auditor.is_platform_auditor = True
    auditor.save(update_fields=["is_platform_auditor"])

    assert {e.pk for e in ledger.values()} <= _ids(_client(auditor).get(EVENTS))


@pytest.mark.parametrize("who", ["audrey", "alice"])
def test_an_organisations_auditor_and_owner_see_only_its_events(
    personas: dict[str, Any], ledger: dict[str, LedgerEvent], who: str
) -> None:
    seen = _ids(_client(personas[who]).get(EVENTS))

    assert {ledger["acme"].pk, ledger["acme2"].pk} <= seen
    assert ledger["globex"].pk not in seen
    assert ledger["platform"].pk not in seen
    assert all(e.organisation_id == personas["acme"].pk for e in LedgerEvent.objects.filter(pk__in=seen))


@pytest.mark.parametrize("who", ["bob", "victor", "iris"])
def test_other_members_and_users_are_refused(
    personas: dict[str, Any], ledger: dict[str, LedgerEvent], who: str
) -> None:
    response = _client(personas[who]).get(EVENTS)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_callers_are_refused_with_json(ledger: dict[str, LedgerEvent]) -> None:
    response = _client().get(EVENTS)

    assert response.status_code in {401, 403}
    assert response.json()["code"] == "not_authenticated"


def test_another_tenants_event_is_not_found(personas: dict[str, Any], ledger: dict[str, LedgerEvent]) -> None:
    client = _client(personas["audrey"])

    assert client.get(f"{EVENTS}{ledger['acme'].pk}/").status_code == 200
    response = client.get(f"{EVENTS}{ledger['globex'].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"{EVENTS}{ledger['globex'].pk}/proof/").status_code == 404


def test_an_event_shows_its_payload_and_hashes(personas: dict[str, Any], ledger: dict[str, LedgerEvent]) -> None:
    body = _client(personas["audrey"]).get(f"{EVENTS}{ledger['acme'].pk}/").json()

    assert body["payload"] == {"n": 1}
    assert body["payload_canonical"] == '{"n":1}'
    assert body["actor"] == personas["alice"].ledger_actor
    assert body["hash"] == ledger["acme"].hash
    assert body["organisation"] == str(personas["acme"].public_id)


def test_events_filter_by_subject_and_kind_and_paginate(
    personas: dict[str, Any], ledger: dict[str, LedgerEvent]
) -> None:
    client = _client(personas["sam"])

    assert _ids(client.get(EVENTS, {"subject": "stream:acme-1"})) == {ledger["acme"].pk, ledger["acme2"].pk}
    assert _ids(client.get(EVENTS, {"subject": "stream:acme-1", "kind": "audit.other"})) == {ledger["acme2"].pk}
    page = client.get(EVENTS, {"limit": 1}).json()
    assert len(page["results"]) == 1
    assert page["count"] >= 4
    assert page["next"]


def test_the_proof_endpoint_gives_a_verifiable_proof(
    personas: dict[str, Any], ledger: dict[str, LedgerEvent], ledger_keys: Any
) -> None:
    client = _client(personas["audrey"])
    response = client.get(f"{EVENTS}{ledger['acme'].pk}/proof/")
    assert response.status_code == 409
    assert response.json()["code"] == "not_checkpointed"

    checkpoint = create_checkpoint()
    proof = client.get(f"{EVENTS}{ledger['acme'].pk}/proof/").json()

    assert checkpoint is not None
    assert proof["checkpoint_id"] == checkpoint.pk
    assert verify_inclusion_proof(event_hash=ledger["acme"].hash, path=proof["path"], root=proof["root"])


def test_checkpoints_are_listed(personas: dict[str, Any], ledger: dict[str, LedgerEvent], ledger_keys: Any) -> None:
    checkpoint = create_checkpoint()
    assert checkpoint is not None

    body = _client(personas["audrey"]).get("/api/v1/ledger/checkpoints/").json()

    assert [c["id"] for c in body["results"]] == [checkpoint.pk]
    assert body["results"][0]["signature"] == checkpoint.signature


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_only_get_is_allowed(personas: dict[str, Any], ledger: dict[str, LedgerEvent], method: str) -> None:
    client = _client(personas["sam"])

    for url in (EVENTS, f"{EVENTS}{ledger['acme'].pk}/", "/api/v1/ledger/checkpoints/"):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 405, url
        assert response.json()["code"] == "method_not_allowed"
    assert LedgerEvent.objects.filter(pk=ledger["acme"].pk).exists()

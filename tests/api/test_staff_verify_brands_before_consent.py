"""A brand records its legal entity (legal name and USCC, check digits validated); platform staff verify it or
reject it with a reason; every step is ledgered, with the USCC and the legal name's hash only."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from rest_framework.test import APIClient

from audit.models import LedgerEvent

USCC = "91110000802100433B"
LEGAL_NAME = "Initech Network Technology Co., Ltd."


def test_an_owner_submits_staff_reject_with_a_reason_then_verify(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    charlie, sam = client_for("charlie"), client_for("sam")
    created = charlie.post("/api/v1/organisations/", {"name": "Initech", "slug": "initech"}, format="json")
    org_id = created.json()["public_id"]
    url = f"/api/v1/organisations/{org_id}/legal-entity/"
    assert charlie.get(url).json()["verification_status"] == "unverified"

    typo = charlie.put(url, {"legal_name": LEGAL_NAME, "uscc": USCC[:-1] + "C"}, format="json")
    assert (typo.status_code, typo.json()["code"]) == (400, "uscc_checksum")
    assert "business licence" in typo.json()["message"]
    submitted = charlie.put(url, {"legal_name": LEGAL_NAME, "uscc": USCC.lower()}, format="json")
    assert submitted.status_code == 200
    assert (submitted.json()["verification_status"], submitted.json()["uscc"]) == ("pending", USCC)

    assert [b["public_id"] for b in sam.get("/api/v1/brand-reviews/").json()["results"]] == [org_id]
    assert client_for("charlie").get("/api/v1/brand-reviews/").status_code == 403
    decide = f"/api/v1/organisations/{org_id}/verification/"
    assert client_for("charlie").post(decide, {"decision": "verify"}, format="json").status_code == 403
    no_reason = sam.post(decide, {"decision": "reject"}, format="json")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    rejected = sam.post(decide, {"decision": "reject", "reason": "The licence names another company."}, format="json")
    assert rejected.json()["verification_status"] == "rejected"
    assert charlie.get(url).json()["rejection_reason"] == "The licence names another company."
    not_pending = sam.post(decide, {"decision": "verify"}, format="json")
    assert (not_pending.status_code, not_pending.json()["code"]) == (409, "not_pending")

    charlie.put(url, {"legal_name": LEGAL_NAME + " ", "uscc": USCC}, format="json")
    verified = sam.post(decide, {"decision": "verify"}, format="json")
    assert verified.status_code == 200
    assert verified.json()["verification_status"] == "verified"
    assert org_id in {b["public_id"] for b in client_for("iris").get("/api/v1/consent/brands/").json()}

    events = LedgerEvent.objects.filter(subject=f"organisation:{org_id}", kind__startswith="organisation.").order_by(
        "id"
    )
    assert [e.kind for e in events] == [
        "organisation.created",
        "organisation.legal_entity_submitted",
        "organisation.verification_rejected",
        "organisation.legal_entity_submitted",
        "organisation.verified",
    ]
    verified_event = events.last()
    assert verified_event is not None
    assert verified_event.payload_data["uscc"] == USCC
    assert verified_event.payload_data["legal_name_sha256"] == hashlib.sha256(LEGAL_NAME.encode()).hexdigest()
    assert verified_event.actor == personas["sam"].ledger_actor
    assert all(LEGAL_NAME not in e.payload for e in events)


def test_only_owners_record_the_legal_entity(client_for: Callable[[str], APIClient], personas: dict[str, Any]) -> None:
    url = f"/api/v1/organisations/{personas['acme'].public_id}/legal-entity/"
    body = {"legal_name": "Someone Else Ltd.", "uscc": USCC}
    for persona, expected in (("bob", 403), ("audrey", 403), ("sam", 403), ("charlie", 404)):
        assert client_for(persona).put(url, body, format="json").status_code == expected, persona
    personas["acme"].refresh_from_db()
    assert (personas["acme"].legal_name, personas["acme"].verification_status) == (
        "Acme Trading (Shanghai) Co., Ltd.",
        "verified",
    )


def test_changing_a_verified_legal_entity_sends_it_back_to_review(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    url = f"/api/v1/organisations/{personas['acme'].public_id}/legal-entity/"
    changed = client_for("alice").put(url, {"legal_name": "Acme Holdings Ltd.", "uscc": USCC}, format="json")
    assert changed.json()["verification_status"] == "pending"
    assert str(personas["acme"].public_id) not in {
        b["public_id"] for b in client_for("iris").get("/api/v1/consent/brands/").json()
    }

"""Attack: e-mail enumeration. An owner who invites addresses must not learn which of them have a Veracast account:
the answer has the same status, the same body shape and about the same timing either way, and the same e-mail goes
out. An address without an account can accept after signing up with it."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core import mail
from rest_framework.test import APIClient

from accounts.selectors import roles_for
from accounts.services import create_user

EXISTING = "iris@creators.example"
UNKNOWN = "ghost@nowhere.example"


def _invite(client: APIClient, personas: dict[str, Any], email: str) -> Any:
    url = f"/api/v1/organisations/{personas['acme'].public_id}/invitations/"
    return client.post(url, {"email": email, "role": "auditor"}, format="json")


def _shape(body: Any) -> Any:
    """The body with every value replaced by its type: what must not differ."""
    if isinstance(body, dict):
        return {key: _shape(value) for key, value in body.items()}
    return type(body).__name__


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    client_for: Callable[[str], APIClient], personas: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    alice = client_for("alice")
    with django_capture_on_commit_callbacks(execute=True):
        known = _invite(alice, personas, EXISTING)
        unknown = _invite(alice, personas, UNKNOWN)
    assert known.status_code == unknown.status_code == 202
    assert _shape(known.json()) == _shape(unknown.json())
    assert known.json()["status"] == unknown.json()["status"] == "pending"
    # The invitation is sent either way, with the same words.
    assert [m.to for m in mail.outbox] == [[EXISTING], [UNKNOWN]]
    assert mail.outbox[0].body == mail.outbox[1].body
    assert mail.outbox[0].subject == mail.outbox[1].subject


def test_the_timing_does_not_tell_either(
    client_for: Callable[[str], APIClient], personas: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    alice = client_for("alice")
    timings: dict[str, list[float]] = {EXISTING: [], UNKNOWN: []}
    with django_capture_on_commit_callbacks(execute=True):
        for email in (EXISTING, UNKNOWN):  # warm-up: from now on each invite also replaces an open one
            assert _invite(alice, personas, email).status_code == 202
        for _ in range(15):
            for email in (EXISTING, UNKNOWN):
                start = time.perf_counter()
                assert _invite(alice, personas, email).status_code == 202
                timings[email].append(time.perf_counter() - start)
    known, unknown = statistics.median(timings[EXISTING]), statistics.median(timings[UNKNOWN])
    # No account lookup happens at all, so the medians differ by noise only; a lookup-and-refuse path (the old
    # `unknown_user` answer) skipped the writes and the e-mail and was several times faster.
    assert 0.5 < known / unknown < 2.0, (known, unknown)


def test_an_address_without_an_account_accepts_after_signing_up(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    invited = _invite(client_for("alice"), personas, "Newcomer@Example.com")
    assert invited.status_code == 202
    newcomer = create_user(email="newcomer@example.com", password="newcomer-password-1")
    client = APIClient()
    client.force_authenticate(newcomer)
    mine = client.get("/api/v1/invitations/").json()["results"]
    assert [(i["public_id"], i["organisation"]["name"], i["role"]) for i in mine] == [
        (invited.json()["public_id"], "Acme", "auditor")
    ]
    accepted = client.post(f"/api/v1/invitations/{mine[0]['public_id']}/accept/")
    assert accepted.status_code == 201
    assert roles_for(newcomer, personas["acme"]) == {"auditor"}

"""Statement with the typed code but a different spoken code: the code heard in the video decides. Typing the right
code proves nothing; the same video saying the right code passes, with or without a typed code."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from consent.models import ConsentGrant, StatementChallenge, VaultObject
from tests.consent.helpers import draft_grant
from tests.consent.statements import issue, live_statement, sample_video, submit, upload_sample

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _other_code(code: str) -> str:
    return "".join(str((int(d) + 3) % 10) for d in code)


def test_the_right_typed_code_with_another_spoken_code_is_refused(
    personas: dict[str, Any], template: Any, client: Any
) -> None:
    client.force_login(personas["iris"])
    upload_sample(client, sample_video())
    grant = draft_grant(personas, template)
    issued = issue(client, grant)

    response = submit(
        client, grant, issued, live_statement(issued, spoken=_other_code(issued["code"])), typed=issued["code"]
    )

    assert response.status_code == 400
    assert response.json()["code"] == "code_not_spoken"
    assert "not heard" in response.json()["message"]
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_STATEMENT
    assert not VaultObject.objects.filter(kind="statement").exists()
    # A wrong spoken code counts as a wrong attempt, like a wrong typed one.
    assert StatementChallenge.objects.get(public_id=issued["challenge"]).attempts == 1


def test_the_spoken_code_alone_passes_and_the_ledger_says_how_it_was_heard(
    personas: dict[str, Any], template: Any, client: Any
) -> None:
    client.force_login(personas["iris"])
    upload_sample(client, sample_video())
    grant = draft_grant(personas, template)
    issued = issue(client, grant)

    response = submit(client, grant, issued, live_statement(issued))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending_signature"
    event = LedgerEvent.objects.get(kind="consent.statement_recorded", subject=f"consent:{grant.public_id}")
    assert event.payload_data["spoken_code"]["heard"] is True
    assert event.payload_data["spoken_code"]["model"] == "whisper-base"
    assert event.payload_data["liveness"]["passed"] is True
    assert [a["action"] for a in event.payload_data["liveness"]["actions"]] == [a["action"] for a in issued["actions"]]
    assert issued["code"] not in event.payload

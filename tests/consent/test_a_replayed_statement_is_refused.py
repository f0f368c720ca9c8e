"""Replayed statement: an earlier recording, even with the new code dubbed over it, shows the earlier challenge's
actions at their times, not the new ones; it is refused, naming the action that was not seen. A challenge already
used, or expired, cannot be presented again."""

from __future__ import annotations

from typing import Any

import pytest

from consent.biometrics.liveness import ChallengeAction
from consent.models import ConsentGrant, StatementChallenge
from tests.consent.helpers import draft_grant
from tests.consent.statements import issue, live_statement, sample_video, submit, upload_sample

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

OLD = [
    ChallengeAction("turn_left", 2.0, 4.5),
    ChallengeAction("open_mouth", 5.0, 7.5),
    ChallengeAction("turn_right", 8.0, 10.5),
]
NEW = [
    ChallengeAction("turn_right", 2.0, 4.5),
    ChallengeAction("open_mouth", 5.0, 7.5),
    ChallengeAction("turn_left", 8.0, 10.5),
]


def test_an_old_recording_with_the_new_code_dubbed_in_is_refused(
    personas: dict[str, Any], template: Any, client: Any
) -> None:
    client.force_login(personas["iris"])
    upload_sample(client, sample_video())
    grant = draft_grant(personas, template)
    issued = issue(client, grant)
    # The challenge's actions are random; fix them so that the old recording surely differs.
    StatementChallenge.objects.filter(public_id=issued["challenge"]).update(actions=[a.as_dict() for a in NEW])

    replayed = live_statement(issued, actions=OLD)  # the new code is spoken: only the actions are old
    response = submit(client, grant, issued, replayed)

    assert response.status_code == 400
    assert response.json()["code"] == "action_not_seen"
    assert "turn your head to your right" in response.json()["message"]
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_STATEMENT


def test_a_statement_for_a_used_challenge_is_refused(personas: dict[str, Any], template: Any, client: Any) -> None:
    client.force_login(personas["iris"])
    upload_sample(client, sample_video())
    first = draft_grant(personas, template)
    issued = issue(client, first)
    recording = live_statement(issued)
    assert submit(client, first, issued, recording).status_code == 200

    again = submit(client, first, issued, recording)

    assert again.status_code == 409
    assert again.json()["code"] == "grant_not_awaiting_statement"
    # Under a new grant, the old challenge does not exist at all.
    second = draft_grant(personas, template)
    assert submit(client, second, issued, recording).json()["code"] == "code_invalid"

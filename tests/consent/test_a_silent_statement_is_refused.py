"""Silent statement: a video without a sound track, or with a silent one, is refused with a sentence that says so;
nothing is stored and the code is not spent."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from consent.models import ConsentGrant, StatementChallenge, VaultObject
from tests.consent.helpers import draft_grant
from tests.consent.statements import issue, live_statement, sample_video, submit, upload_sample

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.mark.parametrize("silence", ["no_sound_track", "muted_sound_track"])
def test_a_statement_without_sound_is_refused(
    personas: dict[str, Any], template: Any, client: Any, silence: str
) -> None:
    client.force_login(personas["iris"])
    assert upload_sample(client, sample_video()).status_code == 201
    grant = draft_grant(personas, template)
    issued = issue(client, grant)
    if silence == "no_sound_track":
        video = live_statement(issued, silent=True)
    else:
        video = live_statement(issued, audio=(np.zeros(16_000 * 8, dtype=np.int16), 16_000))
    stored_before = VaultObject.objects.count()

    response = submit(client, grant, issued, video, typed=issued["code"])

    assert response.status_code == 400
    assert response.json()["code"] == "no_audio"
    assert "speak the code aloud" in response.json()["message"]
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_STATEMENT
    assert VaultObject.objects.count() == stored_before
    assert StatementChallenge.objects.get(public_id=issued["challenge"]).used_at is None

"""Only the brand's owners and reviewers approve: an editor cannot approve even the script they wrote, nor can an
operator; a reviewer without a real-name record is refused too."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.invitations import add_member_with_recorded_acceptance
from accounts.services import create_user
from common.api import DomainError
from streaming.models import ScriptApproval
from streaming.scripts import latest_version
from streaming.services import begin_script_approval, create_script
from tests.consent.helpers import RP
from tests.streaming.scripts.helpers import lines_for, lipstick


def test_editors_and_operators_cannot_approve(personas: dict[str, Any]) -> None:
    eddie = create_user(email="eddie@acme.example", password="eddie-password-1", display_name="Eddie")
    add_member_with_recorded_acceptance(
        organisation=personas["acme"], user=eddie, role="editor", actor=personas["alice"]
    )
    script = create_script(
        organisation=personas["acme"], actor=eddie, title="Mine", language="zh", lines=lines_for(lipstick(personas))
    )
    version = latest_version(script)
    for person in (eddie, personas["bob"]):
        with pytest.raises(DomainError) as refused:
            begin_script_approval(version=version, reviewer=person, expected_sha256=version.sha256, overrides={}, rp=RP)
        assert (refused.value.code, refused.value.status_code) == ("not_a_reviewer", 403)
    # alice owns Acme but has no real-name record in the personas: a named reviewer must be a verified person.
    with pytest.raises(DomainError) as unverified:
        begin_script_approval(
            version=version, reviewer=personas["alice"], expected_sha256=version.sha256, overrides={}, rp=RP
        )
    assert unverified.value.code == "real_name_required"
    assert not ScriptApproval.objects.exists()

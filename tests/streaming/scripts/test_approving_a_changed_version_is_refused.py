"""A reviewer approves the version they read: a newer version saved in between, or a hash that differs, is refused
with 409 version_changed, and so is an edit based on a version that is no longer the latest; nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from consent.scope import challenge_for
from streaming.models import ScriptApproval, ScriptVersion
from streaming.scripts import latest_version
from streaming.services import approve_script_version, begin_script_approval, save_script_version
from tests.consent.helpers import RP
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script
from tests.streaming.scripts_factory import verified_reviewer


def test_a_version_changed_between_review_and_approval_is_refused(personas: dict[str, Any]) -> None:
    alice = personas["alice"]
    authenticator = verified_reviewer(alice)
    script = write_script(personas, lines_for(lipstick(personas)))
    first = latest_version(script)
    begun = begin_script_approval(version=first, reviewer=alice, expected_sha256=first.sha256, overrides={}, rp=RP)
    assertion = authenticator.get_assertion(challenge_for(begun["document"]))
    edited = [{**line} for line in first.lines]
    edited[1]["text"] = "这款丝绒口红只要129元。"
    save_script_version(script=script, actor=alice, lines=edited, base_number=1)

    with pytest.raises(DomainError) as refused:
        approve_script_version(
            version=first, reviewer=alice, expected_sha256=first.sha256, overrides={}, credential=assertion, rp=RP
        )
    assert (refused.value.code, refused.value.status_code) == ("version_changed", 409)
    second = latest_version(script)
    with pytest.raises(DomainError) as wrong_hash:
        begin_script_approval(version=second, reviewer=alice, expected_sha256=first.sha256, overrides={}, rp=RP)
    assert wrong_hash.value.code == "version_changed"
    with pytest.raises(DomainError) as stale_edit:
        save_script_version(script=script, actor=alice, lines=first.lines, base_number=1)
    assert (stale_edit.value.code, stale_edit.value.status_code) == ("version_changed", 409)
    assert not ScriptApproval.objects.exists()
    assert ScriptVersion.objects.filter(script=script).count() == 2

"""Approval binds one version: an edit saved after it is a new version that render refuses until it is approved,
while the approved version stays renderable."""

from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from render.script_source import script_source
from streaming.scripts import latest_version
from streaming.services import save_script_version
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script
from tests.streaming.scripts_factory import approve


def test_the_edit_of_an_approved_version_is_not_approved(personas: dict[str, Any]) -> None:
    script = write_script(personas, lines_for(lipstick(personas)))
    first = latest_version(script)
    approve(first, personas["alice"])
    edited = [{**line} for line in first.lines]
    edited[1]["text"] = "这款丝绒口红今天129元，喜欢的宝宝点关注。"
    second = save_script_version(script=script, actor=personas["alice"], lines=edited, base_number=1)

    assert not hasattr(second, "approval") or second.approval is None
    with pytest.raises(DomainError) as refused:
        script_source().resolve(organisation=personas["acme"], version_id=str(second.public_id))
    assert refused.value.code == "script_not_approved"
    approved = script_source().resolve(organisation=personas["acme"], version_id=str(first.public_id))
    assert approved.version_sha256 == first.sha256
    assert [line.product_categories for line in approved.lines] == [(), ("cosmetics",)]

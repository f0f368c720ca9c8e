"""A blocking finding must be fixed or overridden with a written reason of at least 10 characters; an override
naming no finding of the version is refused; with the reason, the version is approved and the reason kept."""

from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from streaming.models import ScriptApproval
from streaming.scripts import latest_version
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script
from tests.streaming.scripts_factory import approve


def test_overrides_need_reasons(personas: dict[str, Any]) -> None:
    product = lipstick(personas)
    script = write_script(personas, lines_for(product, pitch="这款丝绒口红是全网最低价，只要129元。"))
    version = latest_version(script)
    blocking = [f["key"] for f in version.findings if f["severity"] == "block"]
    assert blocking, version.findings
    for overrides in ({}, dict.fromkeys(blocking, "ok"), {"p:NOPE:0-1": "A reason that is long enough."}):
        with pytest.raises(DomainError) as refused:
            approve(version, personas["alice"], overrides=overrides)
        assert refused.value.status_code == 400
        assert refused.value.code in {"override_reason_required", "unknown_finding"}
    assert not ScriptApproval.objects.exists()

    reasons = dict.fromkeys(blocking, "Verified against the platform price survey of this week.")
    approval = approve(version, personas["alice"], overrides=reasons)
    assert approval.overrides == reasons

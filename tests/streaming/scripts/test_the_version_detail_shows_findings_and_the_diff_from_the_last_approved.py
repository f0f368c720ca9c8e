"""The review page's data: a version's lines, findings (with keys and spans) and its diff from the last approved
version; other brands meet 404 and a viewer reads."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from streaming.scripts import latest_version
from streaming.services import save_script_version
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script
from tests.streaming.scripts_factory import approve


def test_the_version_detail(personas: dict[str, Any]) -> None:
    script = write_script(personas, lines_for(lipstick(personas)))
    first = latest_version(script)
    approve(first, personas["alice"])
    edited = [{**line} for line in first.lines]
    edited[1]["text"] = "这款丝绒口红是全网最低价，只要129元。"
    second = save_script_version(script=script, actor=personas["alice"], lines=edited, base_number=1)

    viewer, outsider = APIClient(), APIClient()
    viewer.force_authenticate(personas["victor"])
    outsider.force_authenticate(personas["charlie"])
    url = f"/api/v1/scripts/{script.public_id}/versions/{second.public_id}/"
    data = viewer.get(url).json()

    assert data["sha256"] == second.sha256
    assert data["approval"] is None
    assert data["is_latest"] is True
    assert {f["key"] for f in data["findings"]} == {f["key"] for f in second.findings}
    assert data["diff"]["base"] == {"id": str(first.public_id), "number": 1, "sha256": first.sha256}
    assert [op["op"] for op in data["diff"]["ops"]] == ["equal", "changed"]
    listed = viewer.get(f"/api/v1/scripts/{script.public_id}/").json()
    assert [v["number"] for v in listed["versions"]] == [2, 1]
    assert listed["versions"][1]["approval"]["reviewer"]["id"] == str(personas["alice"].public_id)
    assert outsider.get(url).status_code == 404

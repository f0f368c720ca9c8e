"""The approval endpoints of the review page answer every refusal with a sentence and a code, never a 500: a viewer
is not a reviewer, a blocking finding needs a written reason, a version that changed since it was read is refused,
and an approval without the passkey's assertion is refused. Nothing is approved."""

from __future__ import annotations

from typing import Any

from django.test import Client

from streaming.models import ScriptApproval
from tests.streaming.scripts_factory import verified_reviewer
from tests.streaming.scripts_pages.helpers import acme_script


def test_refusals_of_the_approval_are_sentences(personas: dict[str, Any]) -> None:
    script = acme_script(personas, "这款口红是全网最低价。")
    version = script.versions.get()
    blocking = next(f for f in version.findings if f["severity"] == "block")
    verified_reviewer(personas["alice"])
    url = f"/scripts/{script.public_id}/versions/1/approval-options"

    victor = Client()
    victor.force_login(personas["victor"])
    page = victor.get(f"/scripts/{script.public_id}/versions/1/review").content.decode()
    assert 'data-testid="not-reviewer"' in page
    assert 'data-testid="approve"' not in page
    refused = victor.post(url, {"expected_sha256": version.sha256}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_a_reviewer"
    assert "owners and reviewers" in refused.json()["message"]

    alice = Client()
    alice.force_login(personas["alice"])
    page = alice.get(f"/scripts/{script.public_id}/versions/1/review").content.decode()
    assert f'data-override="{blocking["key"]}" data-blocking' in page
    no_reason = alice.post(url, {"expected_sha256": version.sha256, "overrides": {}}, content_type="application/json")
    assert no_reason.status_code == 400
    assert no_reason.json()["code"] == "override_reason_required"
    assert "written reason" in no_reason.json()["message"]

    stale = alice.post(
        url,
        {"expected_sha256": "0" * 64, "overrides": {blocking["key"]: "The brand's own price records confirm it."}},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_changed"

    approve_url = f"/scripts/{script.public_id}/versions/1/approve"
    no_passkey = alice.post(approve_url, {"expected_sha256": version.sha256}, content_type="application/json")
    assert no_passkey.status_code == 400
    assert no_passkey.json()["code"] == "invalid_body"
    assert alice.post(approve_url, "not json", content_type="application/json").status_code == 400
    assert not ScriptApproval.objects.exists()

"""The approval is the reviewer's passkey signature over a canonical document naming the version hash, the findings
and each override with its reason: it re-verifies offline, a changed document does not, an assertion over another
document is refused, and the ledger records the overrides and the document hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from audit.models import LedgerEvent
from audit.selectors import verify_stored_ledger
from common.api import DomainError
from streaming.models import ScriptApproval
from streaming.scripts import latest_version
from streaming.services import approve_script_version, begin_script_approval, verify_script_approval
from tests.consent.helpers import RP
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script
from tests.streaming.scripts_factory import approve, verified_reviewer


def test_the_signed_approval_verifies_and_is_ledgered(personas: dict[str, Any]) -> None:
    alice = personas["alice"]
    script = write_script(personas, lines_for(lipstick(personas), pitch="这款丝绒口红是全网最低价，只要129元。"))
    version = latest_version(script)
    reasons = {
        f["key"]: "Verified against this week's price survey." for f in version.findings if f["severity"] == "block"
    }

    authenticator = verified_reviewer(alice)
    begun = begin_script_approval(
        version=version, reviewer=alice, expected_sha256=version.sha256, overrides=reasons, rp=RP
    )
    other = authenticator.get_assertion(hashlib.sha256(b"another document").digest())
    with pytest.raises(DomainError) as refused:
        approve_script_version(
            version=version, reviewer=alice, expected_sha256=version.sha256, overrides=reasons, credential=other, rp=RP
        )
    assert refused.value.code == "challenge_mismatch"
    assert begun["publicKey"]["challenge"]

    approval = approve(version, alice, overrides=reasons, authenticator=authenticator)

    document = json.loads(approval.document)
    assert document["version_sha256"] == version.sha256
    assert document["overrides"] == [{"key": k, "reason": r} for k, r in sorted(reasons.items())]
    assert document["reviewer"]["id"] == str(alice.public_id)
    assert verify_script_approval(approval)
    tampered = ScriptApproval.objects.get(pk=approval.pk)
    tampered.document = approval.document.replace("price survey", "price guess")
    assert not verify_script_approval(tampered)

    event = LedgerEvent.objects.get(subject=script.subject, kind="script.approved")
    assert event.pk == approval.ledger_event_id
    payload = event.payload_data
    assert payload["version_sha256"] == version.sha256
    assert payload["document_sha256"] == hashlib.sha256(approval.document.encode()).hexdigest()
    assert payload["overrides"] == document["overrides"]
    assert payload["credential_id"] == approval.credential_id
    assert verify_stored_ledger().ok

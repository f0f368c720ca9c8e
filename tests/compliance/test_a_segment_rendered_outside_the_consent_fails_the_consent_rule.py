from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.compliance.streams import results, stream


def test_a_segment_rendered_outside_the_consent_fails_the_consent_rule(personas: dict[str, Any]) -> None:
    from consent.models import ConsentGrant

    job = stream(personas)
    # The grant ended (revoked) one second into the stream: segments 1 and 2 ran without consent.
    grant = ConsentGrant.objects.get(pk=job.grant_id)
    ConsentGrant.objects.filter(pk=grant.pk).update(revoked_at=job.started_at + timedelta(seconds=1))

    outcome = results(job)["CN-DS-BIOMETRIC-CONSENT"]

    assert outcome.result == "fail"
    assert outcome.detail.startswith("segment 1: consent not active")
    assert "(+1 more)" in outcome.detail
    assert outcome.evidence[0] == f"grant:{grant.public_id}"

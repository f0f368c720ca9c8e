"""A consent waiting for staff review, with a real encrypted training sample and statement video in the vault.

The statement step is the one shortcut (its checks take Whisper and face models; the statement tests run them):
the videos are stored through the vault and the grant bound to the sample, and `consent.statement_recorded` is
ledgered with the evidence submit_statement records (a passed liveness check, the code heard, a face that did not
match). Signing and the review are the real services.
"""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction

from tests.consent.biometrics import media_factory as mf

SIZE = (320, 240)


def small_video(portrait: Any, *, seconds: int = 2, fps: int = 10) -> bytes:
    """A short H.264 MP4 that Chromium plays (`faststart` is not needed for a byte-range server)."""
    return mf.video_bytes(mf.gentle_motion(portrait, SIZE), count=seconds * fps, fps=fps)


def grant_waiting_for_review(personas: dict[str, Any], template: Any, passkey: Any) -> Any:
    from audit.services import record_event
    from consent import vault
    from consent.models import ConsentGrant, VaultObject
    from consent.scope import bind_sample, canonical, sha256_hex
    from tests.consent.helpers import draft_grant, sign_with_passkey

    iris = personas["iris"]
    grant = draft_grant(personas, template)
    influencer = grant.influencer
    with vault.discard_on_failure(), transaction.atomic():
        sample = vault.store_object(
            influencer=influencer,
            kind=VaultObject.Kind.SAMPLE,
            source=io.BytesIO(small_video(mf.astronaut())),
            content_type="video/mp4",
        )
        statement = vault.store_object(
            influencer=influencer,
            kind=VaultObject.Kind.STATEMENT,
            source=io.BytesIO(small_video(mf.grace_hopper())),
            content_type="video/mp4",
        )
        document = bind_sample(grant.scope, sample_id=str(sample.public_id), sample_sha256=sample.plaintext_sha256)
        grant.scope, grant.scope_canonical = document, canonical(document)
        grant.scope_sha256 = sha256_hex(grant.scope_canonical)
        grant.sample, grant.sample_sha256, grant.statement = sample, sample.plaintext_sha256, statement
        grant.face_score, grant.face_decision = 0.71, ConsentGrant.Check.FAIL
        grant.voice_score, grant.voice_decision = None, ConsentGrant.Check.NOT_REQUIRED
        grant.needs_review, grant.status = True, ConsentGrant.Status.PENDING_SIGNATURE
        grant.save()
        record_event(
            kind="consent.statement_recorded",
            subject=f"consent:{grant.public_id}",
            payload={
                "statement": str(statement.public_id),
                "statement_sha256": statement.plaintext_sha256,
                "sample": {"id": str(sample.public_id), "sha256": sample.plaintext_sha256},
                "scope_sha256": grant.scope_sha256,
                "spoken_code": {"heard": True, "language": "en", "model": "whisper-base"},
                "liveness": {
                    "passed": True,
                    "frames_analysed": 60,
                    "frames_with_face": 58,
                    "actions": [
                        {"action": "turn_left", "start": 1.0, "end": 3.0, "seen_at": 1.6},
                        {"action": "blink", "start": 3.5, "end": 5.5, "seen_at": 4.2},
                    ],
                },
                "screens": ["veracast_watermark"],
                "face": {"score": 0.71, "decision": "fail", "threshold": 0.6},
                "voice": {"score": None, "decision": "not_required"},
                "needs_review": True,
            },
            actor=iris,
        )
    grant = sign_with_passkey(grant, passkey, iris)
    assert grant.status == ConsentGrant.Status.PENDING_REVIEW
    return grant

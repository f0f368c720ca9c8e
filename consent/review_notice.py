"""Why a consent waits for staff review, in sentences: which check failed (face or voice), whether it did not match
or could not be done, and what she can do. Shown on the grant page and at the wizard's signing step."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consent.models import ConsentGrant


def review_reasons(grant: ConsentGrant) -> list[str]:
    """One sentence per check that did not pass, face first; empty when both passed or were not required."""
    reasons = []
    if grant.face_decision == ConsentGrant.Check.FAIL:
        reasons.append(
            _(
                "Face: the face in your statement video did not match the face in your training sample. If both are "
                "you, staff will compare them; otherwise upload a new training sample of yourself and give the "
                "consent again."
            )
        )
    elif grant.face_decision == ConsentGrant.Check.UNAVAILABLE:
        reasons.append(
            _(
                "Face: your face could not be compared, because no usable face was found in the statement video or "
                "no training sample was on file. Upload a training sample, then record your statement facing the "
                "camera in good light."
            )
        )
    if grant.voice_decision == ConsentGrant.Check.FAIL:
        reasons.append(
            _(
                "Voice: the voice in your statement video did not match the voice in your training sample. Staff "
                "will listen to both; if your sample has someone else speaking, upload a new one."
            )
        )
    elif grant.voice_decision == ConsentGrant.Check.UNAVAILABLE:
        reasons.append(
            _(
                "Voice: your voice could not be compared, because the statement or the training sample holds too "
                "little clear speech. Speak for part of your sample, in a quiet room."
            )
        )
    return reasons

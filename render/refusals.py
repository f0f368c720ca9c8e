"""A render service's refusal (`DomainError`), said in the reader's language on the brand's pages.

The services write their messages in English for the API, where `code` is the contract. Pages look the code up
here; a code not listed (a new one) falls back to the service's own sentence, so a refusal is never shown as a code.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.api import DomainError
from consent.gate import BRAND_REFUSAL_CODE

SENTENCES = {
    BRAND_REFUSAL_CODE: gettext_lazy("This influencer has not given you consent for this use."),
    "avatar_not_ready": gettext_lazy("The avatar is not built yet: wait until its build has finished."),
    "avatar_building": gettext_lazy("The avatar is being built: wait until the build has finished."),
    "avatar_shredded": gettext_lazy("The influencer's data was erased, so this avatar can no longer be used."),
    "grant_mismatch": gettext_lazy("The chosen consent does not cover this use: choose the consent that does."),
    "no_sample": gettext_lazy(
        "The consent is bound to no training sample in the vault: the influencer must record a new statement check "
        "for the current sample, or give a new consent."
    ),
    "invalid_gesture_marks": gettext_lazy(
        "A gesture mark is outside the sample or ends before it starts: correct the times and save again."
    ),
    "permission_denied": gettext_lazy("Only the brand's owners, editors and operators may do this."),
    "script_version_not_found": gettext_lazy("Choose one of the brand's approved script versions."),
    "script_not_found": gettext_lazy("Choose one of the brand's approved script versions."),
    "script_not_approved": gettext_lazy(
        "This script version is not approved (or its approval was withdrawn): a reviewer must approve it first."
    ),
    "script_source_unavailable": gettext_lazy("Scripts cannot be read right now, so nothing can be rendered."),
    "invalid_resolution": gettext_lazy("Choose one of the offered resolutions."),
    "invalid_fps": gettext_lazy("Choose one of the offered frame rates."),
    "invalid_engine": gettext_lazy("Choose one of the offered engines."),
    "engine_unavailable": gettext_lazy("The ONNX engine is not installed on the render workers: choose viseme-warp."),
    "invalid_label": gettext_lazy("Choose one of the offered label languages."),
    "invalid_orientation": gettext_lazy("Choose portrait or landscape."),
    "job_not_active": gettext_lazy("This render has already ended."),
    "request_key_used": gettext_lazy("This form was already used: open the start page again."),
    "invalid_request_key": gettext_lazy("This form is damaged: open the start page again."),
    "out_of_scope_product": gettext_lazy("The influencer's consent excludes a product category this script sells."),
}


def refusal_sentence(error: DomainError) -> str:
    code = str(getattr(error, "code", "") or "")
    if code in SENTENCES:
        return str(SENTENCES[code])
    if code.startswith("unspeakable_"):
        return _("A line of the script cannot be spoken: %(detail)s") % {"detail": error.detail}
    return _("Refused: %(detail)s") % {"detail": error.detail}


def failure_sentence(code: str, message: str) -> str:
    """Why an avatar build or a render ended without finishing (its stored error), as a sentence."""
    if not code:
        return ""
    if code in ("cancelled", "consent_revoked"):
        return str(
            _("Stopped by a person.")
            if code == "cancelled"
            else _("Stopped: the influencer revoked the consent, so no new segment was rendered.")
        )
    if code in SENTENCES:
        return str(SENTENCES[code])
    return _("It could not finish: %(reason)s") % {"reason": message or code}

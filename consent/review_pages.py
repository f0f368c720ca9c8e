"""Staff review pages: the queue of consents waiting for review, and one grant's review page with its statement
video and training sample side by side, the identity scores, the liveness result, the scope and the grant's
history; approve or reject with a written reason from the page (a plain form, no script needed).

Only reviewers (`consent.review_consentgrant`) get in; the videos are decrypted in memory and streamed from
`review_media` (whole or by byte range), never written to disk, and each viewing is ledgered.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from common.api import DomainError
from consent import review_media, review_selectors, selectors, services
from consent.models import ConsentGrant

# The services' refusals, as sentences in the reader's language (the services speak English to the API).
REFUSALS = {
    "reason_required": gettext_lazy("Write the reason for your decision: the influencer and auditors read it."),
    "invalid_decision": gettext_lazy("Choose approve or reject."),
    "grant_not_in_review": gettext_lazy("This consent is no longer waiting for review: it was decided already."),
    "staff_required": gettext_lazy("Only platform staff in the reviewers group may review consents."),
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    review_selectors.require_reviewer(_user(request))
    context = {"grants": selectors.list_review_queue(), "active_nav": "consent-review"}
    return render(request, "consent/review_queue.html", context)


@login_required
def review_grant_page(request: HttpRequest, grant_id: str) -> HttpResponse:
    grant = review_selectors.get_grant_for_review(_user(request), grant_id)
    context = {
        "grant": grant,
        "scope": grant.scope,
        "evidence": review_selectors.review_evidence(grant),
        "in_review": grant.status == ConsentGrant.Status.PENDING_REVIEW,
        "active_nav": "consent-review",
    }
    return render(request, "consent/review_grant.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, grant_id: str) -> HttpResponse:
    grant = review_selectors.get_grant_for_review(_user(request), grant_id)
    decision = request.POST.get("decision", "")
    try:
        services.review_grant(
            grant=grant, reviewer=_user(request), decision=decision, reason=request.POST.get("reason", "")
        )
    except DomainError as refusal:
        messages.error(request, str(REFUSALS.get(refusal.code, refusal.detail)))
        return redirect(reverse("consent:review-grant", args=[grant.public_id]))
    name = grant.influencer.stage_name
    if decision == "approve":
        messages.success(request, _("The consent of %(name)s is approved and active.") % {"name": name})
    else:
        messages.success(request, _("The consent of %(name)s is rejected; she sees your reason.") % {"name": name})
    return redirect(reverse("consent:review-queue"))


@login_required
@require_GET
def review_media_file(request: HttpRequest, grant_id: str, kind: str) -> HttpResponse:
    if kind not in review_selectors.MEDIA_KINDS:
        raise Http404(_("This consent has no such video."))
    grant = review_selectors.get_grant_for_review(_user(request), grant_id)
    obj = review_selectors.media_of(grant, kind)
    header = request.headers.get("Range", "")
    try:
        wanted = review_media.parse_range(header, obj.plaintext_size)
    except review_media.RangeNotSatisfiableError:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{obj.plaintext_size}"
        return refused
    plain = review_media.open_review_media(
        grant=grant, reviewer=_user(request), kind=kind, starts_viewing=wanted is None or wanted.start == 0
    )
    body = plain.getbuffer() if hasattr(plain, "getbuffer") else plain.read()
    if wanted is None:
        response = HttpResponse(bytes(body), content_type=obj.content_type or "video/mp4")
    else:
        response = HttpResponse(
            bytes(body[wanted.start : wanted.end + 1]), status=206, content_type=obj.content_type or "video/mp4"
        )
        response["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{len(body)}"
    response["Accept-Ranges"] = "bytes"
    # Biometric data: no cache may keep a copy, and the browser shows it rather than saving it.
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = "inline"
    return response

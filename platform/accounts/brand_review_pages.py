"""Staff verify brands in pages: the queue of brands waiting for verification, one brand's page (its legal entity,
owners, look-alike names and history) and the decision (verify, or reject with a reason the owners read).

Only staff with `accounts.verify_organisation` (the reviewers group, accounts.staff_groups) get in. A refusal by
the service is shown as a sentence in the reader's language, never as an error page.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import brands, selectors
from accounts.models import Organisation, User
from accounts.staff_groups import is_brand_verifier
from common.api import DomainError

REFUSALS = {
    "reason_required": gettext_lazy("Write the reason for the rejection."),
    "reason_too_long": gettext_lazy("The reason is longer than 2,000 characters."),
    "not_pending": gettext_lazy("This brand is not waiting for verification: it was decided already."),
    "staff_required": gettext_lazy("Only platform staff in the reviewers group may verify brands."),
    "brand_name_lookalike": gettext_lazy(
        "This brand's name looks like the name of a verified brand: reject it and ask the owner to rename it."
    ),
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_verifier(request: HttpRequest) -> None:
    if not is_brand_verifier(_user(request)):
        raise PermissionDenied(_("Only platform staff in the reviewers group may verify brands."))


@login_required
def brand_reviews(request: HttpRequest) -> HttpResponse:
    _require_verifier(request)
    context = {"brands": selectors.list_brands_waiting_for_review(), "active_nav": "brand-reviews"}
    return render(request, "accounts/brand_reviews.html", context)


@login_required
def brand_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _require_verifier(request)
    organisation = selectors.get_brand_for_verification(public_id)
    context = {
        "brand": organisation,
        "owners": [m for m in selectors.list_members(organisation) if m.role == "owner"],
        "history": selectors.list_organisation_events(organisation),
        "waiting": organisation.verification_status == Organisation.Verification.PENDING,
        "active_nav": "brand-reviews",
    }
    return render(request, "accounts/brand_review.html", context)


@login_required
@require_POST
def review_brand(request: HttpRequest, public_id: UUID) -> HttpResponse:
    _require_verifier(request)
    organisation = selectors.get_brand_for_verification(public_id)
    verify = request.POST.get("decision") == "verify"
    try:
        if verify:
            brands.verify_organisation(organisation=organisation, actor=_user(request))
        else:
            brands.reject_organisation(
                organisation=organisation, actor=_user(request), reason=request.POST.get("reason", "")
            )
    except DomainError as refusal:
        messages.error(request, str(REFUSALS.get(refusal.code, refusal.detail)))
        return redirect(reverse("accounts-pages:brand-review", args=[organisation.public_id]))
    if verify:
        messages.success(request, _("%(brand)s is verified.") % {"brand": organisation.name})
    else:
        messages.success(
            request, _("%(brand)s is rejected; its owners see your reason.") % {"brand": organisation.name}
        )
    return redirect(reverse("accounts-pages:brand-reviews"))

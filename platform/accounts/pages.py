"""Account pages (server-rendered, framed by portal/base.html): my invitations (accept or decline), an
organisation's members and invitations with its legal entity (owners manage; members read). The staff's brand
verification pages are accounts.brand_review_pages.

Plain HTML forms post here; each POST calls one service, then redirects back with the outcome as a message. A
refusal (`DomainError`) is shown as a sentence in the reader's language (accounts/refusals.py), never as an error
page.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import brands, invitations, selectors, services
from accounts.models import Membership, Organisation, User
from accounts.permissions import can_read_organisation, has_org_role
from accounts.refusals import refusal_sentence
from common.api import DomainError


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _attempt(request: HttpRequest, action: Callable[[], object], success: str) -> None:
    """Run one service call; its refusal becomes an error message, its success `success`."""
    try:
        action()
    except DomainError as refusal:
        messages.error(request, refusal_sentence(refusal))
    else:
        messages.success(request, success)


def _organisation(request: HttpRequest, public_id: UUID) -> Organisation:
    organisation = selectors.get_visible_organisation(_user(request), public_id)
    if not can_read_organisation(_user(request), organisation):
        raise Http404("No such organisation.")
    return organisation


def _members_url(organisation: Organisation) -> HttpResponseRedirect:
    return redirect(reverse("accounts-pages:members", args=[organisation.public_id]))


# My invitations ----------------------------------------------------------------------------------------------------


@login_required
def my_invitations(request: HttpRequest) -> HttpResponse:
    context = {"invitations": invitations.list_open_invitations_for(_user(request)), "active_nav": "invitations"}
    return render(request, "accounts/my_invitations.html", context)


@login_required
@require_POST
def respond_to_invitation(request: HttpRequest, invitation_id: UUID, answer: str) -> HttpResponse:
    invitation = invitations.get_invitation_for_invitee(_user(request), invitation_id)
    name = invitation.organisation.name
    if answer == "accept":
        _attempt(
            request,
            lambda: invitations.accept_invitation(invitation=invitation, user=_user(request)),
            _("You joined %(organisation)s.") % {"organisation": name},
        )
    elif answer == "decline":
        _attempt(
            request,
            lambda: invitations.decline_invitation(invitation=invitation, user=_user(request)),
            _("You declined the invitation to %(organisation)s.") % {"organisation": name},
        )
    else:
        raise Http404("No such answer.")
    return redirect(reverse("accounts-pages:my-invitations"))


# Members, invitations and legal entity of one organisation ---------------------------------------------------------


@login_required
def members(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = _organisation(request, public_id)
    is_owner = has_org_role(_user(request), organisation, [Membership.Role.OWNER])
    context = {
        "organisation": organisation,
        "members": selectors.list_members(organisation),
        "invitations": invitations.list_pending_invitations(organisation) if is_owner else [],
        "is_owner": is_owner,
        "roles": Membership.Role.choices,
        "me": _user(request),
        "active_nav": f"members-{organisation.slug}",
    }
    return render(request, "accounts/members.html", context)


@login_required
@require_POST
def invite(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = _organisation(request, public_id)
    email = request.POST.get("email", "")
    _attempt(
        request,
        lambda: invitations.invite_member(
            organisation=organisation, email=email, role=request.POST.get("role", ""), actor=_user(request)
        ),
        # The same sentence for every address: the page does not say whether it has an account.
        _("Invitation sent to %(email)s. They join once they accept it.") % {"email": email.strip()},
    )
    return _members_url(organisation)


@login_required
@require_POST
def change_role(request: HttpRequest, public_id: UUID, user_public_id: UUID) -> HttpResponse:
    organisation = _organisation(request, public_id)
    member = selectors.get_member(organisation, user_public_id)
    _attempt(
        request,
        lambda: services.set_membership(
            organisation=organisation, user=member.user, role=request.POST.get("role", ""), actor=_user(request)
        ),
        _("The role of %(person)s is changed.") % {"person": member.user.display_name or member.user.email},
    )
    return _members_url(organisation)


@login_required
@require_POST
def remove_member(request: HttpRequest, public_id: UUID, user_public_id: UUID) -> HttpResponse:
    organisation = _organisation(request, public_id)
    member = selectors.get_member(organisation, user_public_id)
    _attempt(
        request,
        lambda: services.remove_membership(organisation=organisation, user=member.user, actor=_user(request)),
        _("%(person)s is no longer a member.") % {"person": member.user.display_name or member.user.email},
    )
    return _members_url(organisation)


@login_required
@require_POST
def cancel_invitation(request: HttpRequest, public_id: UUID, invitation_id: UUID) -> HttpResponse:
    organisation = _organisation(request, public_id)
    invitation = invitations.get_invitation_of(organisation, invitation_id)
    _attempt(
        request,
        lambda: invitations.cancel_invitation(invitation=invitation, actor=_user(request)),
        _("The invitation is cancelled."),
    )
    return _members_url(organisation)


@login_required
@require_POST
def legal_entity(request: HttpRequest, public_id: UUID) -> HttpResponse:
    organisation = _organisation(request, public_id)
    _attempt(
        request,
        lambda: brands.submit_legal_entity(
            organisation=organisation,
            actor=_user(request),
            legal_name=request.POST.get("legal_name", ""),
            uscc=request.POST.get("uscc", ""),
        ),
        _(
            "The legal entity is recorded. Veracast staff will verify it; "
            "until then nobody can grant this brand consent."
        ),
    )
    return _members_url(organisation)

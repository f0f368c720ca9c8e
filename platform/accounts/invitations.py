"""Joining an organisation: an owner invites an e-mail address with a role, and the person who signs in with that
address accepts or declines. Nobody becomes a member of anything without having said yes.

Inviting never looks up whether the address has an account: the answer (status, body, work done) is the same
either way, so an inviter learns nothing about who uses Veracast. The e-mail goes out after the commit. Every
step is ledgered; payloads carry the invitation's public id, never the address (personal data, append-only
ledger).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from accounts.models import Invitation, Membership, Organisation, User
from audit.services import record_event
from common.api import DomainError


def normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def _subject(organisation: Organisation) -> str:
    return f"organisation:{organisation.public_id}"


def _require_owner(*, organisation: Organisation, actor: User) -> None:
    if not Membership.objects.filter(organisation=organisation, user=actor, role=Membership.Role.OWNER).exists():
        raise DomainError(
            "Only an owner of the organisation may invite or manage invitations.",
            code="owner_required",
            status_code=status.HTTP_403_FORBIDDEN,
        )


def _expire(invitation: Invitation) -> None:
    """Mark one pending invitation past its time as expired, with its ledger event (caller holds a transaction)."""
    invitation.status = Invitation.Status.EXPIRED
    invitation.save(update_fields=["status"])
    record_event(
        kind="invitation.expired",
        subject=_subject(invitation.organisation),
        payload={"invitation": str(invitation.public_id), "role": invitation.role},
        actor="system",
        organisation=invitation.organisation,
    )


def invite_member(*, organisation: Organisation, email: str, role: str, actor: User) -> Invitation:
    """Invite `email` to `organisation` with `role` and send the invitation. Only owners may.

    The same answer whether or not the address has an account. An open invitation to the same address is
    replaced (cancelled, then a new one with a fresh expiry and the new role): "send it again" just works.
    """
    address = normalise_email(email)
    if not address or "@" not in address:
        raise DomainError("Enter the e-mail address to invite.", code="email_required", status_code=400)
    if role not in Membership.Role.values:
        raise DomainError(f"Unknown role '{role}'.", code="invalid_role", status_code=400)
    now = timezone.now()
    with transaction.atomic():
        _require_owner(organisation=organisation, actor=actor)
        # Members are listed to owners with their addresses, so this answer tells the inviter nothing new.
        if Membership.objects.filter(organisation=organisation, user__email=address).exists():
            raise DomainError(
                "This address already belongs to a member; change their role instead.",
                code="already_a_member",
                status_code=409,
            )
        for previous in Invitation.objects.select_for_update().filter(
            organisation=organisation, email=address, status=Invitation.Status.PENDING
        ):
            if previous.expires_at <= now:
                _expire(previous)
            else:
                _close(previous, status_to=Invitation.Status.CANCELLED, actor=actor, kind="invitation.cancelled")
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organisation=organisation,
                    email=address,
                    role=Membership.Role(role).value,
                    invited_by=actor,
                    created_at=now,
                    expires_at=now + timedelta(days=settings.INVITATION_TTL_DAYS),
                )
        except IntegrityError:
            raise DomainError(
                "Another invitation to this address was just sent; look at the pending invitations.",
                code="already_invited",
                status_code=409,
            ) from None
        record_event(
            kind="invitation.created",
            subject=_subject(organisation),
            payload={
                "invitation": str(invitation.public_id),
                "role": invitation.role,
                "expires_at": invitation.expires_at.isoformat(),
                "invited_by": str(actor.public_id),
            },
            actor=actor,
            organisation=organisation,
        )
        invitation_id = invitation.pk
        transaction.on_commit(lambda: send_invitation_email(invitation_id=invitation_id))
    return invitation


def send_invitation_email(*, invitation_id: int) -> None:
    """The invitation e-mail: one text for every address, so its wording reveals nothing either."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return
    base = settings.PUBLIC_URL.rstrip("/")
    link = f"{base}{reverse('accounts-pages:my-invitations')}"
    role = Membership.Role(invitation.role).label
    body = _(
        "%(inviter)s invites you to join %(organisation)s on Veracast as %(role)s.\n\n"
        "Sign in with this e-mail address (or create an account with it), then accept or decline the invitation "
        "on your invitations page: %(link)s\n\n"
        "The invitation expires on %(expires)s. If you did not expect it, decline it or ignore this message: "
        "nobody joins an organisation without accepting."
    ) % {
        "inviter": invitation.invited_by.display_name or _("An owner"),
        "organisation": invitation.organisation.name,
        "role": role,
        "link": link,
        "expires": invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
    }
    send_mail(
        subject=_("Invitation to join %(organisation)s on Veracast") % {"organisation": invitation.organisation.name},
        message=body,
        from_email=None,
        recipient_list=[invitation.email],
    )


def _close(
    invitation: Invitation,
    *,
    status_to: str,
    actor: User,
    kind: Literal["invitation.accepted", "invitation.declined", "invitation.cancelled"],
) -> Invitation:
    invitation.status = status_to
    invitation.responded_at = timezone.now()
    invitation.responded_by = actor
    invitation.save(update_fields=["status", "responded_at", "responded_by"])
    record_event(
        kind=kind,
        subject=_subject(invitation.organisation),
        payload={"invitation": str(invitation.public_id), "role": invitation.role, "by": str(actor.public_id)},
        actor=actor,
        organisation=invitation.organisation,
    )
    return invitation


def _open_for(*, invitation: Invitation, user: User) -> Invitation:
    """`invitation` locked, if it is addressed to `user` and still open; 404 or 409 otherwise.

    An expired one is marked expired (and ledgered) in its own transaction before the refusal, so the record
    stays true even though the caller's action fails.
    """
    if not user.is_authenticated or invitation.email != normalise_email(user.email):
        raise Http404("No such invitation.")
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        expired = locked.status == Invitation.Status.PENDING and locked.expires_at <= timezone.now()
        if expired:
            _expire(locked)
    if expired:
        raise DomainError(
            "This invitation has expired. Ask an owner of the organisation to invite you again.",
            code="invitation_expired",
        )
    if locked.status != Invitation.Status.PENDING:
        raise DomainError(
            f"This invitation is no longer open (it was {locked.get_status_display().lower()}).",
            code="invitation_closed",
        )
    return locked


def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """`user` accepts: they become a member with the invited role. Only the invited address may accept."""
    _open_for(invitation=invitation, user=user)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        if locked.status != Invitation.Status.PENDING:
            raise DomainError("This invitation is no longer open.", code="invitation_closed")
        organisation = locked.organisation
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            raise DomainError(
                "You are already a member of this organisation; an owner can change your role.",
                code="already_a_member",
            )
        membership = Membership.objects.create(organisation=organisation, user=user, role=locked.role)
        _close(locked, status_to=Invitation.Status.ACCEPTED, actor=user, kind="invitation.accepted")
        record_event(
            kind="membership.set",
            subject=_subject(organisation),
            payload={
                "user": str(user.public_id),
                "role": locked.role,
                "previous_role": None,
                "invitation": str(locked.public_id),
            },
            actor=user,
            organisation=organisation,
        )
    return membership


def decline_invitation(*, invitation: Invitation, user: User) -> Invitation:
    """`user` declines: the invitation closes and nothing else changes."""
    _open_for(invitation=invitation, user=user)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        if locked.status != Invitation.Status.PENDING:
            raise DomainError("This invitation is no longer open.", code="invitation_closed")
        return _close(locked, status_to=Invitation.Status.DECLINED, actor=user, kind="invitation.declined")


def cancel_invitation(*, invitation: Invitation, actor: User) -> Invitation:
    """An owner withdraws a pending invitation."""
    with transaction.atomic():
        _require_owner(organisation=invitation.organisation, actor=actor)
        locked = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
        if locked.status != Invitation.Status.PENDING:
            raise DomainError("This invitation is no longer open.", code="invitation_closed")
        return _close(locked, status_to=Invitation.Status.CANCELLED, actor=actor, kind="invitation.cancelled")


def add_member_with_recorded_acceptance(
    *, organisation: Organisation, user: User, role: str, actor: User
) -> Membership:
    """Invite `user` and record their acceptance in one go: for seeding (the demo, test personas) where the
    person's agreement is given outside the platform. The ledger shows both steps, as for any member."""
    invitation = invite_member(organisation=organisation, email=user.email, role=role, actor=actor)
    return accept_invitation(invitation=invitation, user=user)


# Reads ----------------------------------------------------------------------------------------------------------


def list_open_invitations_for(user: User) -> QuerySet[Invitation]:
    """Invitations addressed to `user`'s e-mail that they can still accept, newest first."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email=normalise_email(user.email), status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "-pk")
    )


def list_pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """An organisation's open invitations (for its owners), newest first."""
    return (
        Invitation.objects.filter(
            organisation=organisation, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def get_invitation_for_invitee(user: User, public_id: UUID | str) -> Invitation:
    """The invitation `public_id` if it is addressed to `user`; 404 otherwise (whether it exists or not)."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(public_id=public_id, email=normalise_email(user.email) if user.is_authenticated else "")
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def get_invitation_of(organisation: Organisation, public_id: UUID | str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation").filter(organisation=organisation, public_id=public_id).first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation

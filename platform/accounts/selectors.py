"""Read side of accounts: which organisations a user sees, their roles there, and their verification status."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from accounts.models import InfluencerProfile, Membership, Organisation, RealNameRecord, User

ADULT_AGE = 18


def has_platform_read(user: User) -> bool:
    """Platform staff and platform auditors may read every organisation."""
    return bool(user.is_authenticated and (user.is_staff or user.is_platform_auditor))


def list_organisations_for(user: User) -> QuerySet[Organisation]:
    """Organisations `user` belongs to (every organisation for staff and platform auditors), each annotated with
    `my_role` (the user's role there, or None), ordered by name."""
    my_role = Membership.objects.filter(organisation=OuterRef("pk"), user=user).values("role")[:1]
    organisations = Organisation.objects.annotate(my_role=Subquery(my_role))
    if not has_platform_read(user):
        organisations = organisations.filter(memberships__user=user)
    return organisations.order_by("name", "pk")


def get_visible_organisation(user: User, public_id: UUID | str) -> Organisation:
    """The organisation with `public_id` if `user` may see it; `Http404` otherwise, whether it exists or not,
    so that another tenant's ids reveal nothing."""
    organisation = list_organisations_for(user).filter(public_id=public_id).first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def get_membership(user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def roles_for(user: User, organisation: Organisation) -> set[str]:
    """The roles `user` holds in `organisation` (at most one today; a set so callers test membership in it)."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))


def is_auditor_of(user: User, organisation: Organisation) -> bool:
    """Whether `user` audits `organisation`: they hold its auditor role, or they are a platform auditor who is not
    a member of it.

    An auditor changes nothing of what they audit (an auditor who could would not be independent). The role is
    scoped to its organisation: it never limits the user's own account, their own consents, or their work in
    another organisation, so nobody can freeze someone else by naming them auditor somewhere.
    """
    if not user.is_authenticated:
        return False
    roles = roles_for(user, organisation)
    if Membership.Role.AUDITOR in roles:
        return True
    return bool(user.is_platform_auditor and not roles)


def list_verified_brands() -> QuerySet[Organisation]:
    """The brands a person may grant consent to: staff verified their legal entity."""
    return Organisation.objects.filter(verification_status=Organisation.Verification.VERIFIED).order_by("name", "pk")


def list_brands_waiting_for_review() -> QuerySet[Organisation]:
    """Brands whose owners submitted their legal entity, oldest request first (the staff queue)."""
    return Organisation.objects.filter(verification_status=Organisation.Verification.PENDING).order_by(
        "verification_requested_at", "pk"
    )


def list_members(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("created_at", "pk")


def get_member(organisation: Organisation, user_public_id: UUID | str) -> Membership:
    membership = list_members(organisation).filter(user__public_id=user_public_id).first()
    if membership is None:
        raise Http404("No such member.")
    return membership


def get_user_by_email(email: str) -> User | None:
    return User.objects.filter(email=User.objects.normalize_email(email).lower()).first()


def get_user_by_public_id(public_id: UUID | str) -> User | None:
    return User.objects.filter(public_id=public_id).first()


def get_influencer_profile(user: User) -> InfluencerProfile | None:
    return InfluencerProfile.objects.filter(user=user).first()


def get_real_name_record(user: User) -> RealNameRecord | None:
    return RealNameRecord.objects.filter(user=user).first()


def is_real_name_verified(user: User) -> bool:
    """Whether `user` has a real-name record. Operators and influencers must have one before they act."""
    if not user.is_authenticated:
        return False
    return RealNameRecord.objects.filter(user=user).exists()


def is_adult_on(user: User, on: date) -> bool | None:
    """Whether `user` is 18 or older on `on`, from their real-name record; None when not verified."""
    if not user.is_authenticated:
        return None
    record = RealNameRecord.objects.filter(user=user).only("adult_on").first()
    return None if record is None else record.is_adult_on(on)


def is_adult(record: RealNameRecord, on: date) -> bool:
    return record.is_adult_on(on)


def get_brand_for_verification(public_id: UUID | str) -> Organisation:
    """Any brand, for the staff who verify brands (callers check that permission first)."""
    organisation = Organisation.objects.filter(public_id=public_id).first()
    if organisation is None:
        raise Http404("No such brand.")
    return organisation


def list_organisation_events(organisation: Organisation) -> QuerySet[Any]:
    """The organisation's own ledger chain (`organisation:<id>`), oldest first: its verification history."""
    from audit.models import LedgerEvent

    return LedgerEvent.objects.filter(subject=f"organisation:{organisation.public_id}").order_by("seq")

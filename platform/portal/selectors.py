"""Read-only queries behind the portal's pages: who the person is on the platform and what they may look at.

Nothing here writes. The portal frames the domain apps' pages; it asks `accounts` (and, where it exists, `audit`)
for facts and turns them into plain dataclasses the templates can show without further queries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connection, models
from django.utils import timezone

from accounts.models import InfluencerProfile, Membership, Organisation, RealNameRecord, User
from accounts.staff_groups import is_brand_verifier, is_consent_reviewer

logger = logging.getLogger(__name__)

# Reviewers approve the brand's scripts: they see the brand as its owners, editors and viewers do.
BRAND_ROLES = (Membership.Role.OWNER, Membership.Role.EDITOR, Membership.Role.REVIEWER, Membership.Role.VIEWER)


@dataclass(frozen=True)
class Verification:
    """Real-name verification of one person. `verified_at` is None when there is no record."""

    verified_at: Any = None
    method_label: str = ""

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


@dataclass(frozen=True)
class Member:
    display_name: str
    email: str
    role: str
    role_label: str
    is_verified: bool
    is_you: bool


@dataclass(frozen=True)
class OrganisationView:
    """One organisation as the viewing person sees it. `members` is filled only for owners."""

    public_id: str
    name: str
    slug: str
    role: str
    role_label: str
    owners: list[str] = field(default_factory=list)
    members: list[Member] | None = None


@dataclass(frozen=True)
class LedgerCounts:
    """Counts of ledger events; `available` is False while the ledger table does not exist yet."""

    available: bool
    total: int = 0
    last_24h: int | None = None
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    scope: str = ""


@dataclass(frozen=True)
class PlatformCounts:
    users: int
    organisations: int
    influencers: int
    verified_people: int


@dataclass(frozen=True)
class Roles:
    """Every role a person holds. A person may hold several; each gives them a section of the dashboard."""

    influencer: InfluencerProfile | None
    memberships: list[Membership]
    is_platform_auditor: bool
    is_staff: bool
    # Staff in the reviewers group (accounts.staff_groups): the consent review and brand verification pages.
    can_review_consents: bool = False
    can_verify_brands: bool = False

    def _with_roles(self, roles: tuple[str, ...]) -> list[Membership]:
        return [m for m in self.memberships if m.role in roles]

    @property
    def is_influencer(self) -> bool:
        return self.influencer is not None

    @property
    def brand_memberships(self) -> list[Membership]:
        return self._with_roles(BRAND_ROLES)

    @property
    def operator_memberships(self) -> list[Membership]:
        return self._with_roles((Membership.Role.OPERATOR,))

    @property
    def auditor_memberships(self) -> list[Membership]:
        return self._with_roles((Membership.Role.AUDITOR,))

    @property
    def is_auditor(self) -> bool:
        return self.is_platform_auditor or bool(self.auditor_memberships)

    @property
    def has_any(self) -> bool:
        return self.is_influencer or bool(self.memberships) or self.is_platform_auditor or self.is_staff


def get_roles(*, user: User | AnonymousUser) -> Roles:
    """The roles of `user`, in two queries (memberships with their organisations, and the influencer profile)."""
    if not user.is_authenticated:
        return Roles(influencer=None, memberships=[], is_platform_auditor=False, is_staff=False)
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name", "role")
    )
    influencer = InfluencerProfile.objects.filter(user=user).first()
    return Roles(
        influencer=influencer,
        memberships=memberships,
        is_platform_auditor=bool(getattr(user, "is_platform_auditor", False)),
        is_staff=bool(user.is_staff),
        can_review_consents=is_consent_reviewer(user),
        can_verify_brands=is_brand_verifier(user),
    )


def get_verification(*, user: User) -> Verification:
    record = RealNameRecord.objects.filter(user=user).only("verified_at", "method").first()
    if record is None:
        return Verification()
    return Verification(verified_at=record.verified_at, method_label=record.get_method_display())


def list_organisations_for(*, user: User, roles: Roles) -> list[OrganisationView]:
    """The organisations `user` belongs to, with their role; owners also get the member list.

    Only organisations the person is a member of are read, so an outsider (charlie of Globex) can never be shown
    anything of another brand's.
    """
    org_ids = [m.organisation_id for m in roles.memberships]
    owner_names: dict[int, list[str]] = {}
    for org_id, display_name, email in (
        Membership.objects.filter(organisation_id__in=org_ids, role=Membership.Role.OWNER)
        .order_by("user__display_name", "user__email")
        .values_list("organisation_id", "user__display_name", "user__email")
    ):
        owner_names.setdefault(org_id, []).append(display_name or email)

    owned_ids = [m.organisation_id for m in roles.memberships if m.role == Membership.Role.OWNER]
    members_by_org = _members_of(organisation_ids=owned_ids, viewer=user)

    views = []
    for membership in roles.memberships:
        org = membership.organisation
        views.append(
            OrganisationView(
                public_id=str(org.public_id),
                name=org.name,
                slug=org.slug,
                role=membership.role,
                role_label=membership.get_role_display(),
                owners=owner_names.get(org.pk, []),
                members=members_by_org.get(org.pk) if org.pk in owned_ids else None,
            )
        )
    return views


def _members_of(*, organisation_ids: list[int], viewer: User) -> dict[int, list[Member]]:
    if not organisation_ids:
        return {}
    role_order = {role: index for index, role in enumerate(Membership.Role.values)}
    result: dict[int, list[Member]] = {}
    rows = (
        Membership.objects.filter(organisation_id__in=organisation_ids)
        .select_related("user")
        .annotate(verified=models.Exists(RealNameRecord.objects.filter(user_id=models.OuterRef("user_id"))))
    )
    for m in rows:
        result.setdefault(m.organisation_id, []).append(
            Member(
                display_name=m.user.display_name or m.user.email,
                email=m.user.email,
                role=m.role,
                role_label=m.get_role_display(),
                is_verified=bool(m.verified),
                is_you=m.user_id == viewer.pk,
            )
        )
    for members in result.values():
        members.sort(key=lambda member: (role_order.get(member.role, 99), member.display_name.lower()))
    return result


def get_platform_counts() -> PlatformCounts:
    """Platform-wide totals, for staff only."""
    return PlatformCounts(
        users=User.objects.filter(is_active=True).count(),
        organisations=Organisation.objects.count(),
        influencers=InfluencerProfile.objects.count(),
        verified_people=RealNameRecord.objects.count(),
    )


def _ledger_model() -> type[models.Model] | None:
    """The ledger's model, or None while `audit.LedgerEvent` is not written or not migrated yet.

    The portal ships before the ledger, so it looks the model up by name instead of importing it, and checks that
    the table exists rather than letting a missing migration turn the dashboard into a 500.
    """
    try:
        model = apps.get_model("audit", "LedgerEvent")
    except LookupError:
        return None
    try:
        if model._meta.db_table not in connection.introspection.table_names():
            return None
    except DatabaseError:
        logger.warning("Could not list tables while looking for the ledger", exc_info=True)
        return None
    return model


def _time_field(model: type[models.Model]) -> str | None:
    for name in ("created_at", "recorded_at", "at", "occurred_at", "timestamp"):
        try:
            if isinstance(model._meta.get_field(name), models.DateTimeField):
                return name
        except FieldDoesNotExist:
            continue
    return None


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def get_ledger_counts(*, organisation: Organisation | None = None) -> LedgerCounts:
    """Counts of ledger events, platform-wide or for one organisation.

    Organisation-scoped counts need the ledger to say which organisation an event belongs to; when it does not,
    the counts are reported as unavailable rather than leaking the platform-wide numbers to a brand's auditor.
    """
    model = _ledger_model()
    if model is None:
        return LedgerCounts(available=False)
    queryset = model._default_manager.all()
    scope = "platform"
    if organisation is not None:
        if not _has_field(model, "organisation"):
            return LedgerCounts(available=False, scope="organisation")
        queryset = queryset.filter(organisation=organisation)
        scope = "organisation"

    total = queryset.count()
    last_24h = None
    time_field = _time_field(model)
    if time_field is not None:
        since = timezone.now() - timedelta(hours=24)
        last_24h = queryset.filter(**{f"{time_field}__gte": since}).count()
    by_kind: list[tuple[str, int]] = []
    if _has_field(model, "kind"):
        by_kind = [
            (row["kind"], row["n"])
            for row in queryset.values("kind").annotate(n=models.Count("pk")).order_by("-n", "kind")[:8]
        ]
    return LedgerCounts(available=True, total=total, last_24h=last_24h, by_kind=by_kind, scope=scope)


@dataclass(frozen=True)
class StaffWork:
    """What waits for a reviewer in the staff pages (None: not theirs to do)."""

    consents_to_review: int | None
    brands_to_verify: int | None


def get_staff_work(*, roles: Roles) -> StaffWork:
    from accounts.selectors import list_brands_waiting_for_review
    from consent.selectors import list_review_queue

    return StaffWork(
        consents_to_review=list_review_queue().count() if roles.can_review_consents else None,
        brands_to_verify=list_brands_waiting_for_review().count() if roles.can_verify_brands else None,
    )


def get_consent_counts(*, user: User) -> list[tuple[str, int]]:
    """How many of the influencer's consent grants are in each state, as (label, count); the consent pages hold
    the details."""
    from django.db.models import Count

    from consent.models import ConsentGrant
    from consent.selectors import list_grants_for_influencer

    rows = list_grants_for_influencer(user).order_by().values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return [(str(label), counts[value]) for value, label in ConsentGrant.Status.choices if value in counts]


def get_likeness_avatars(*, user: User, limit: int = 20) -> list[Any]:
    """The avatars built from the influencer's likeness (newest first), each with its brand and consent, and
    whether she has a training sample on file (the card links to the page that takes one)."""
    from render.selectors import list_avatars_of_likeness

    return list(list_avatars_of_likeness(user)[:limit])


def has_training_sample(*, user: User) -> bool:
    from consent.selectors import list_samples_for

    return list_samples_for(user).exists()


def get_dashboard(*, user: User, roles: Roles | None = None) -> dict[str, Any]:
    """Everything the dashboard shows for `user`, keyed for the template. Pass `roles` if already read."""
    if roles is None:
        roles = get_roles(user=user)
    organisations = list_organisations_for(user=user, roles=roles)
    by_role: dict[str, list[OrganisationView]] = {}
    for org in organisations:
        by_role.setdefault(org.role, []).append(org)

    audited = [
        (org, get_ledger_counts(organisation=m.organisation))
        for org, m in zip(organisations, roles.memberships, strict=True)
        if m.role == Membership.Role.AUDITOR
    ]
    platform_ledger = get_ledger_counts() if (roles.is_staff or roles.is_platform_auditor) else None
    return {
        "roles": roles,
        "verification": get_verification(user=user),
        "organisations": organisations,
        "brand_organisations": [o for o in organisations if o.role in BRAND_ROLES],
        "operator_organisations": by_role.get(Membership.Role.OPERATOR, []),
        "audited_organisations": audited,
        "platform_ledger": platform_ledger,
        "platform_counts": get_platform_counts() if roles.is_staff else None,
        "staff_work": get_staff_work(roles=roles) if roles.is_staff else None,
        "consent_counts": get_consent_counts(user=user) if roles.is_influencer else [],
        "likeness_avatars": get_likeness_avatars(user=user) if roles.is_influencer else [],
        "has_training_sample": has_training_sample(user=user) if roles.is_influencer else False,
    }

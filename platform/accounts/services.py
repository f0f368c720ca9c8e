"""Write side of accounts: users, organisations and memberships, influencer profiles, real-name records.

Every service writes its ledger event in the same transaction as its rows, so the ledger can never show a change
that did not happen or miss one that did. Ledger payloads hold public ids, roles and hashes only: never a legal
name, an ID document number or a date of birth.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status

from accounts.brands import check_brand_name
from accounts.identity import (
    PRC_RESIDENT_ID,
    InvalidIdNumberError,
    ScryptCost,
    adult_on,
    hash_id_number,
    id_number_digest,
    normalise_id_number,
    validate_id_number,
)
from accounts.models import InfluencerProfile, Membership, Organisation, RealNameRecord, User
from accounts.selectors import ADULT_AGE, is_adult_on, is_real_name_verified
from audit.services import EventSpec, record_event, record_events
from common.api import DomainError

# An organisation's slug is a path segment of its compliance pages (/compliance/<slug>/), beside fixed pages of the
# same depth: a brand slugged "holds" could never open its dashboard. A test (tests/api/test_an_organisation_cannot_
# take_the_slug_of_a_platform_page.py) keeps this list and those URLs in step.
RESERVED_SLUGS = frozenset({"holds", "influencers"})

# Re-exported: callers that gate an action on verification import them with the services they call.
__all__ = [
    "create_influencer_profile",
    "create_organisation",
    "create_user",
    "id_number_kdf_cost",
    "is_adult_on",
    "is_real_name_verified",
    "record_real_name",
    "remove_membership",
    "set_membership",
    "update_organisation",
]


def create_user(
    *,
    email: str,
    password: str | None,
    display_name: str = "",
    is_staff: bool = False,
    is_platform_auditor: bool = False,
) -> User:
    """Create a user who logs in with `email`. A `None` password makes an account that cannot log in yet."""
    normalised = User.objects.normalize_email(email).lower()
    if not normalised:
        raise DomainError("An email address is required.", code="email_required", status_code=400)
    with transaction.atomic():
        if User.objects.filter(email=normalised).exists():
            raise DomainError("A user with this email address already exists.", code="email_taken")
        user = User.objects.create_user(
            email=normalised,
            password=password,
            display_name=display_name,
            is_staff=is_staff,
            is_platform_auditor=is_platform_auditor,
        )
        # The email is personal data and the ledger is append-only: it records the public id and the flags only.
        record_event(
            kind="user.created",
            subject=f"user:{user.public_id}",
            payload={
                "user": str(user.public_id),
                "is_staff": user.is_staff,
                "is_platform_auditor": user.is_platform_auditor,
            },
            actor=None,
        )
    return user


def create_organisation(*, name: str, slug: str, owner: User) -> Organisation:
    """Create a brand with `owner` as its first owner. It starts unverified: nobody can grant it consent until
    its owner submits its legal entity and staff verify it (`accounts.brands`)."""
    name = name.strip()
    if not name:
        raise DomainError("An organisation needs a name.", code="name_required", status_code=400)
    with transaction.atomic():
        shape = check_brand_name(name=name)
        if slug in RESERVED_SLUGS:
            raise DomainError(
                f"The slug {slug!r} names one of the platform's own pages; choose another.",
                code="slug_reserved",
                status_code=400,
            )
        if Organisation.objects.filter(slug=slug).exists():
            raise DomainError("An organisation with this slug already exists.", code="slug_taken")
        organisation = Organisation.objects.create(name=name, slug=slug, name_skeleton=shape)
        Membership.objects.create(organisation=organisation, user=owner, role=Membership.Role.OWNER)
        subject = f"organisation:{organisation.public_id}"
        record_events(
            events=[
                EventSpec(
                    kind="organisation.created",
                    subject=subject,
                    payload={"organisation": str(organisation.public_id), "name": name, "slug": slug},
                    actor=owner,
                    organisation=organisation,
                ),
                EventSpec(
                    kind="membership.set",
                    subject=subject,
                    payload={"user": str(owner.public_id), "role": Membership.Role.OWNER.value, "previous_role": None},
                    actor=owner,
                    organisation=organisation,
                ),
            ]
        )
    return organisation


def update_organisation(*, organisation: Organisation, actor: User, name: str) -> Organisation:
    """Rename an organisation (owners and editors; the API checks the role before calling)."""
    name = name.strip()
    if not name:
        raise DomainError("An organisation needs a name.", code="name_required", status_code=400)
    with transaction.atomic():
        shape = check_brand_name(name=name, organisation=organisation)
        previous = organisation.name
        organisation.name = name
        organisation.name_skeleton = shape
        organisation.save(update_fields=["name", "name_skeleton"])
        record_event(
            kind="organisation.updated",
            subject=f"organisation:{organisation.public_id}",
            payload={"name": name, "previous_name": previous},
            actor=actor,
            organisation=organisation,
        )
    return organisation


def _require_owner(*, organisation: Organisation, actor: User) -> None:
    if not Membership.objects.filter(organisation=organisation, user=actor, role=Membership.Role.OWNER).exists():
        raise DomainError(
            "Only an owner of the organisation may change its members.",
            code="owner_required",
            status_code=status.HTTP_403_FORBIDDEN,
        )


def _lock_owner_rows(organisation: Organisation) -> list[int]:
    """Lock the organisation's owner memberships, so two concurrent demotions cannot both see 'another owner'."""
    return list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Membership.Role.OWNER)
        .values_list("user_id", flat=True)
    )


def set_membership(*, organisation: Organisation, user: User, role: str, actor: User) -> Membership:
    """Change the role of `user`, a member of `organisation`. Only owners may; the last owner stays.

    Nobody is added here: joining takes an invitation the person accepts (`accounts.invitations`), so no owner
    can put a role on someone else's account."""
    if role not in Membership.Role.values:
        raise DomainError(f"Unknown role '{role}'.", code="invalid_role", status_code=400)
    role = Membership.Role(role).value
    with transaction.atomic():
        _require_owner(organisation=organisation, actor=actor)
        owners = _lock_owner_rows(organisation)
        membership = Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
        previous_role = membership.role if membership else None
        if previous_role == role and membership is not None:
            return membership
        if membership is None:
            raise DomainError(
                "This person is not a member of the organisation: invite them, and they join once they accept.",
                code="not_a_member",
                status_code=404,
            )
        if previous_role == Membership.Role.OWNER and owners == [user.pk]:
            raise DomainError("The last owner cannot be demoted: make someone else an owner first.", code="last_owner")
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(
            kind="membership.set",
            subject=f"organisation:{organisation.public_id}",
            payload={"user": str(user.public_id), "role": role, "previous_role": previous_role},
            actor=actor,
            organisation=organisation,
        )
    return membership


def remove_membership(*, organisation: Organisation, user: User, actor: User) -> None:
    """Remove `user` from `organisation`. Only owners may; the last owner cannot be removed."""
    with transaction.atomic():
        _require_owner(organisation=organisation, actor=actor)
        owners = _lock_owner_rows(organisation)
        membership = Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
        if membership is None:
            raise DomainError("This user is not a member of the organisation.", code="not_a_member", status_code=404)
        if membership.role == Membership.Role.OWNER and owners == [user.pk]:
            raise DomainError("The last owner cannot be removed: make someone else an owner first.", code="last_owner")
        previous_role = membership.role
        membership.delete()
        record_event(
            kind="membership.removed",
            subject=f"organisation:{organisation.public_id}",
            payload={"user": str(user.public_id), "previous_role": previous_role},
            actor=actor,
            organisation=organisation,
        )


def create_influencer_profile(*, user: User, stage_name: str) -> InfluencerProfile:
    """Give `user` an influencer profile (one per user)."""
    stage_name = stage_name.strip()
    if not stage_name:
        raise DomainError("A stage name is required.", code="stage_name_required", status_code=400)
    with transaction.atomic():
        if InfluencerProfile.objects.filter(user=user).exists():
            raise DomainError("This user already has an influencer profile.", code="influencer_exists")
        profile = InfluencerProfile.objects.create(user=user, stage_name=stage_name)
        record_event(
            kind="influencer.created",
            subject=f"influencer:{profile.public_id}",
            payload={"influencer": str(profile.public_id), "user": str(user.public_id), "stage_name": stage_name},
            actor=user,
        )
    return profile


def id_number_kdf_cost() -> ScryptCost:
    """The scrypt cost new digests are made with (settings VERACAST_ID_NUMBER_SCRYPT_N/_R/_P)."""
    return ScryptCost(
        n=int(settings.ID_NUMBER_SCRYPT_N), r=int(settings.ID_NUMBER_SCRYPT_R), p=int(settings.ID_NUMBER_SCRYPT_P)
    )


def _digests_of(keyed_hash: str) -> dict[str, str]:
    """The number's digest (by KDF label) under the current cost and under every other cost still found in stored
    rows (one KDF run each), so that raising the cost never lets a document verify twice."""
    current = id_number_kdf_cost()
    costs = {current.label: current}
    for label in RealNameRecord.objects.values_list("id_number_kdf", flat=True).distinct():
        if label and label not in costs:
            costs[label] = ScryptCost.from_label(label)
    pepper = str(settings.ID_NUMBER_PEPPER)
    return {label: id_number_digest(keyed_hash, pepper=pepper, cost=cost) for label, cost in costs.items()}


def record_real_name(
    *,
    user: User,
    legal_name: str,
    id_number: str,
    date_of_birth: date,
    method: str,
    verified_by: User | None,
    document_type: str = PRC_RESIDENT_ID,
) -> RealNameRecord:
    """Record that `user`'s identity was verified by `method`, replacing any earlier record of theirs.

    Of the document number only a memory-hard peppered digest and the last four characters are stored; of the date
    of birth only, for a minor, the day they turn 18 (see `RealNameRecord`). A number already recorded for another
    user is refused (`id_number_in_use`): one document, one account. Neither the number, the birth date nor the
    name reaches a log, an error message or the ledger.
    """
    if verified_by is not None and not verified_by.is_staff:
        raise DomainError(
            "Only platform staff may record a real-name verification.", code="staff_required", status_code=403
        )
    if method not in RealNameRecord.Method.values:
        raise DomainError(f"Unknown verification method '{method}'.", code="invalid_method", status_code=400)
    if document_type not in RealNameRecord.DocumentType.values:
        raise DomainError(f"Unknown document type '{document_type}'.", code="invalid_document_type", status_code=400)
    method = RealNameRecord.Method(method).value
    document_type = RealNameRecord.DocumentType(document_type).value
    legal_name = legal_name.strip()
    if not legal_name:
        raise DomainError("The legal name is required.", code="legal_name_required", status_code=400)
    today = timezone.localdate()
    if date_of_birth > today:
        raise DomainError("The date of birth is in the future.", code="invalid_date_of_birth", status_code=400)
    number = normalise_id_number(id_number)
    try:
        validate_id_number(number, document_type=document_type, date_of_birth=date_of_birth)
    except InvalidIdNumberError as exc:
        # `from None`: the chained exception would carry nothing sensitive, but a traceback should not suggest it.
        raise DomainError(str(exc), code=exc.code, status_code=400) from None
    keyed = hash_id_number(number, document_type=document_type, key=settings.ID_HASH_KEY)
    last4 = number[-4:]
    del number
    # The KDF runs (tens of milliseconds, 32 MiB each) before the transaction, which then holds no lock meanwhile.
    cost = id_number_kdf_cost()
    digests = _digests_of(keyed)
    digest = digests[cost.label]
    del keyed
    turns_adult = adult_on(date_of_birth, adult_age=ADULT_AGE)
    is_adult = today >= turns_adult

    in_use = DomainError("This identity document is already verified for another account.", code="id_number_in_use")
    with transaction.atomic():
        if RealNameRecord.objects.filter(id_number_digest__in=digests.values()).exclude(user=user).exists():
            raise in_use
        fields: dict[str, Any] = {
            "legal_name": legal_name,
            "document_type": document_type,
            "id_number_digest": digest,
            "id_number_kdf": cost.label,
            "id_number_last4": last4,
            "adult_on": None if is_adult else turns_adult,
            "method": method,
            "verified_at": timezone.now(),
            "verified_by": verified_by,
        }
        try:
            # A savepoint: two concurrent verifications of one document both pass the check above, and the
            # unique index refuses the second; the outer transaction must stay usable to answer cleanly.
            with transaction.atomic():
                record, _ = RealNameRecord.objects.update_or_create(user=user, defaults=fields)
        except IntegrityError:
            raise in_use from None
        record_event(
            kind="real_name.verified",
            subject=f"user:{user.public_id}",
            # No number-derived value: the ledger is copied to auditors and kept forever.
            payload={
                "user": str(user.public_id),
                "document_type": document_type,
                "id_number_last4": last4,
                "method": method,
                "is_adult": is_adult,
                "verified_by": str(verified_by.public_id) if verified_by is not None else None,
            },
            actor=verified_by,
        )
    return record

"""Brand verification: an organisation's legal entity, its review by platform staff, and names that cannot pass
for another brand.

Nobody can grant a brand consent until staff have verified it (`consent.services.create_grant` refuses), so a
person always knows which legal entity stands behind the name they consent to. Ledger payloads carry the USCC (a
public registry number) and the legal name's SHA-256 only: a sole proprietorship's legal name can be a person's
name, and the ledger is append-only.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from rest_framework import status

from accounts.brand_names import forbidden_characters, skeleton
from accounts.models import Membership, Organisation, User
from accounts.staff_groups import is_brand_verifier
from accounts.uscc import InvalidUsccError, validate_uscc
from audit.services import record_event
from common.api import DomainError

LEGAL_NAME_MAX = 200
REASON_MAX = 2000


def _subject(organisation: Organisation) -> str:
    return f"organisation:{organisation.public_id}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_brand_name(*, name: str, organisation: Organisation | None = None) -> str:
    """The skeleton of `name` if it may name a brand; a `DomainError` sentence otherwise.

    Refused: invisible or reordering characters anywhere, and a name that looks like a *verified* brand other
    than `organisation` itself (same skeleton). Unverified brands may share a look-alike name until one is
    verified, so nobody can squat a famous name by creating it first.
    """
    bad = forbidden_characters(name)
    if bad:
        raise DomainError(
            "Brand names cannot contain invisible, control or text-direction characters "
            f"(found {', '.join(bad)}). Type the name again without them.",
            code="brand_name_invalid_characters",
            status_code=400,
        )
    shape = skeleton(name)
    if not shape:
        raise DomainError("A brand name needs at least one letter or digit.", code="name_required", status_code=400)
    clash = lookalike_of(shape=shape, exclude=organisation)
    if clash is not None:
        raise DomainError(
            f"This name looks like the verified brand “{clash.name}”. Choose a name that cannot be mistaken for it.",
            code="brand_name_lookalike",
            status_code=409,
        )
    return shape


def lookalike_of(*, shape: str, exclude: Organisation | None = None) -> Organisation | None:
    """A verified brand whose name has the skeleton `shape`, other than `exclude`."""
    verified = Organisation.objects.filter(name_skeleton=shape, verification_status=Organisation.Verification.VERIFIED)
    if exclude is not None and exclude.pk is not None:
        verified = verified.exclude(pk=exclude.pk)
    return verified.order_by("pk").first()


def submit_legal_entity(*, organisation: Organisation, actor: User, legal_name: str, uscc: str) -> Organisation:
    """An owner records the brand's legal entity and asks staff to verify it.

    Changing the legal entity of a verified brand sends it back to review: a verification vouches for one entity.
    """
    legal_name = " ".join(legal_name.split())
    if not legal_name:
        raise DomainError("The legal name is required.", code="legal_name_required", status_code=400)
    if len(legal_name) > LEGAL_NAME_MAX or forbidden_characters(legal_name):
        raise DomainError(
            "The legal name must be at most 200 visible characters, as on the business licence.",
            code="legal_name_invalid",
            status_code=400,
        )
    try:
        code = validate_uscc(uscc)
    except InvalidUsccError as exc:
        raise DomainError(str(exc), code=exc.code, status_code=400) from None
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not Membership.objects.filter(organisation=locked, user=actor, role=Membership.Role.OWNER).exists():
            raise DomainError(
                "Only an owner of the organisation may record its legal entity.",
                code="owner_required",
                status_code=status.HTTP_403_FORBIDDEN,
            )
        if (
            locked.legal_name == legal_name
            and locked.uscc == code
            and locked.verification_status
            in {
                Organisation.Verification.PENDING,
                Organisation.Verification.VERIFIED,
            }
        ):
            return locked  # nothing changed: keep the verification or the place in the queue
        previous = locked.verification_status
        locked.legal_name = legal_name
        locked.uscc = code
        locked.verification_status = Organisation.Verification.PENDING
        locked.verification_requested_at = timezone.now()
        locked.verified_at = None
        locked.verified_by = None
        locked.rejection_reason = ""
        locked.save(
            update_fields=[
                "legal_name",
                "uscc",
                "verification_status",
                "verification_requested_at",
                "verified_at",
                "verified_by",
                "rejection_reason",
            ]
        )
        record_event(
            kind="organisation.legal_entity_submitted",
            subject=_subject(locked),
            payload={
                "organisation": str(locked.public_id),
                "uscc": code,
                "legal_name_sha256": _sha256(legal_name),
                "previous_status": previous,
            },
            actor=actor,
            organisation=locked,
        )
    return locked


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and is_brand_verifier(actor)):
        raise DomainError(
            "Only platform staff in the reviewers group may verify brands.", code="staff_required", status_code=403
        )


def verify_organisation(*, organisation: Organisation, actor: User) -> Organisation:
    """Staff confirm the brand's legal entity (checked against the national enterprise credit register)."""
    _require_staff(actor)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.verification_status != Organisation.Verification.PENDING:
            raise DomainError(
                "Only a brand waiting for review can be verified: the owner must submit its legal entity first.",
                code="not_pending",
            )
        # Names are checked again here: a look-alike may have been created before the brand it imitates was
        # verified, and must not become verified beside it.
        shape = check_brand_name(name=locked.name, organisation=locked)
        locked.name_skeleton = shape
        locked.verification_status = Organisation.Verification.VERIFIED
        locked.verified_at = timezone.now()
        locked.verified_by = actor
        locked.save(update_fields=["name_skeleton", "verification_status", "verified_at", "verified_by"])
        record_event(
            kind="organisation.verified",
            subject=_subject(locked),
            payload={
                "organisation": str(locked.public_id),
                "uscc": locked.uscc,
                "legal_name_sha256": _sha256(locked.legal_name),
                "name": locked.name,
                "verified_by": str(actor.public_id),
            },
            actor=actor,
            organisation=locked,
        )
    return locked


def reject_organisation(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """Staff refuse the brand's legal entity, saying why; the owner may correct it and submit again."""
    _require_staff(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError("Write the reason for the rejection.", code="reason_required", status_code=400)
    if len(reason) > REASON_MAX:
        raise DomainError("The reason is longer than 2,000 characters.", code="reason_too_long", status_code=400)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.verification_status not in {
            Organisation.Verification.PENDING,
            Organisation.Verification.VERIFIED,
        }:
            raise DomainError("This brand is not waiting for review.", code="not_pending")
        previous = locked.verification_status
        locked.verification_status = Organisation.Verification.REJECTED
        locked.rejection_reason = reason
        locked.verified_at = None
        locked.verified_by = None
        locked.save(update_fields=["verification_status", "rejection_reason", "verified_at", "verified_by"])
        record_event(
            kind="organisation.verification_rejected",
            subject=_subject(locked),
            payload={
                "organisation": str(locked.public_id),
                "uscc": locked.uscc,
                "reason": reason,
                "previous_status": previous,
                "rejected_by": str(actor.public_id),
            },
            actor=actor,
            organisation=locked,
        )
    return locked

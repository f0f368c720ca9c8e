"""Reads of auditor exports: who may export which organisation, and which exports one may see."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from audit.models import AuditExport
from common.api import DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import Organisation, User

# Members with this role may export their organisation's records; staff and platform auditors may export any.
EXPORT_ROLE = "auditor"


def exports_everything(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_staff or getattr(user, "is_platform_auditor", False))
    )


def exportable_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    from accounts.models import Organisation

    if exports_everything(user):
        return Organisation.objects.order_by("name")
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user_id=user.pk, memberships__role=EXPORT_ROLE).order_by("name")


def may_export(user: User | AnonymousUser) -> bool:
    return exports_everything(user) or exportable_organisations(user).exists()


def list_exports_for(user: User | AnonymousUser) -> QuerySet[AuditExport]:
    """Exports the user may see: every one for staff and platform auditors, else their organisations' exports."""
    exports = AuditExport.objects.select_related("organisation", "requested_by", "influencer")
    if not exports_everything(user):
        exports = exports.filter(organisation__in=exportable_organisations(user))
    return exports.order_by("-created_at", "-id")


def get_visible_export(user: User | AnonymousUser, public_id: str | uuid.UUID) -> AuditExport:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    export = list_exports_for(user).filter(public_id=key).first() if key else None
    if export is None:
        raise DomainError("No such export.", code="not_found", status_code=404)
    return export

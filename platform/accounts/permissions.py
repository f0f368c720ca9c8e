"""DRF permissions shared by every app.

How the pieces fit (a view under an organisation):
1. Resolve the organisation with `selectors.get_visible_organisation(user, public_id)`: a 404 for anyone who may
   not see it, so another tenant's ids reveal nothing.
2. `self.check_object_permissions(request, organisation)`: the classes below then decide 403 or go.

Objects other than organisations work too when they have an `organisation` attribute.
Auditors are refused every unsafe method on what they audit, with code `auditor_read_only`: `DenyAuditorWrites`
(in `DEFAULTS`) refuses it at the object check, for the organisation of the object only. A role limits what a user
does inside its organisation and nowhere else: an auditor of X still manages their own account and consents and
works in other organisations (an owner cannot freeze someone by naming them auditor).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import Membership, Organisation, User
from accounts.selectors import has_platform_read, is_auditor_of, roles_for
from accounts.staff_groups import is_brand_verifier, is_consent_reviewer


def organisation_of(obj: Any) -> Organisation:
    if isinstance(obj, Organisation):
        return obj
    organisation = getattr(obj, "organisation", None)
    if not isinstance(organisation, Organisation):
        raise TypeError(f"{type(obj).__name__} has no organisation to check roles against.")
    return organisation


def has_org_role(user: User, organisation: Organisation, roles: Iterable[str]) -> bool:
    return bool(roles_for(user, organisation) & set(roles))


def can_read_organisation(user: User, organisation: Organisation) -> bool:
    """Any member (auditors included), platform staff and platform auditors read an organisation."""
    return has_platform_read(user) or bool(roles_for(user, organisation))


class DenyAuditorWrites(BasePermission):
    """Auditors change nothing of what they audit: an unsafe method on an object of an organisation the user
    audits (`is_auditor_of`) answers 403 `auditor_read_only`. Nothing else is restricted: the view-level check
    lets every request through, so a user's own resources (account, consents) are never frozen by a role."""

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        organisation = obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None)
        if isinstance(organisation, Organisation) and is_auditor_of(request.user, organisation):  # type: ignore[arg-type]
            raise PermissionDenied("Auditors have read-only access to what they audit.", code="auditor_read_only")
        return True


class IsPlatformStaff(BasePermission):
    """Platform employees only (`User.is_staff`)."""

    message = "Only platform staff may do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class IsConsentReviewer(BasePermission):
    """Platform staff in the reviewers group (accounts.staff_groups): the consent review queue and decisions."""

    message = "Only platform staff in the reviewers group may review consents."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_consent_reviewer(request.user)


class IsBrandVerifier(BasePermission):
    """Platform staff in the reviewers group (accounts.staff_groups): the brand verification queue and decisions."""

    message = "Only platform staff in the reviewers group may verify brands."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_brand_verifier(request.user)


class OrgRolePermission(BasePermission):
    """Object-level: the user holds one of `write_roles` (unsafe methods) or may read the organisation (safe).

    Build one with `org_roles("owner", "editor")`; `read_roles=None` means every member plus platform readers.
    """

    write_roles: ClassVar[frozenset[str]] = frozenset()
    read_roles: ClassVar[frozenset[str] | None] = None
    message = "Your role in this organisation does not allow this."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        organisation = organisation_of(obj)
        user: User = request.user  # type: ignore[assignment]
        if request.method in SAFE_METHODS:
            if self.read_roles is None:
                return can_read_organisation(user, organisation)
            return has_platform_read(user) or has_org_role(user, organisation, self.read_roles)
        return has_org_role(user, organisation, self.write_roles)


def org_roles(*write_roles: str, read_roles: Iterable[str] | None = None) -> type[OrgRolePermission]:
    """A permission class granting unsafe methods to members with one of `write_roles`."""
    unknown = set(write_roles) - set(Membership.Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    name = "OrgRoles_" + "_".join(write_roles)
    attrs = {
        "write_roles": frozenset(write_roles),
        "read_roles": None if read_roles is None else frozenset(read_roles),
    }
    return type(name, (OrgRolePermission,), attrs)


# The permissions every view starts from: logged in, and auditors may not write to what they audit.
DEFAULTS: tuple[type[BasePermission], ...] = (IsAuthenticated, DenyAuditorWrites)

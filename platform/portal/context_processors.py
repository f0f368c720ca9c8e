"""Template context for every page: the signed-in person's roles and the navigation they lead to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .selectors import Roles, get_roles

_ROLES_ATTR = "_portal_roles"


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


def roles_for(request: HttpRequest) -> Roles:
    """The roles of the request's user, read once per request (the dashboard and the navigation both need them)."""
    roles = getattr(request, _ROLES_ATTR, None)
    if roles is None:
        roles = get_roles(user=request.user)
        setattr(request, _ROLES_ATTR, roles)
    return roles


def build_navigation(roles: Roles) -> list[NavItem]:
    """Links for the roles held. Until the domain apps ship their pages, role links point at the dashboard's
    section for that role; a link is only shown when the page behind it exists."""
    dashboard = reverse("portal:dashboard")
    items = [NavItem("dashboard", str(_("Overview")), dashboard)]
    if roles.is_influencer:
        items.append(NavItem("influencer", str(_("Influencer")), f"{dashboard}#influencer"))
        items.append(NavItem("consents", str(_("My consents")), reverse("consent:my-consents")))
        items.append(NavItem("likeness", str(_("My likeness")), reverse("likeness:mine")))
    if roles.brand_memberships:
        items.append(NavItem("brands", str(_("Brands")), f"{dashboard}#brands"))
        for membership in roles.brand_memberships:
            organisation = membership.organisation
            items.append(
                NavItem(
                    f"brand-consents-{organisation.slug}",
                    str(_("Consents · %(brand)s") % {"brand": organisation.name}),
                    reverse("consent:brand", args=[str(organisation.public_id)]),
                )
            )
            items.append(
                NavItem(
                    f"brand-dashboard-{organisation.slug}",
                    str(_("Dashboard · %(brand)s") % {"brand": organisation.name}),
                    reverse("streams:dashboard", args=[str(organisation.public_id)]),
                )
            )
    for membership in roles.memberships:
        if membership.role == "owner":
            organisation = membership.organisation
            items.append(
                NavItem(
                    f"members-{organisation.slug}",
                    str(_("Members · %(brand)s") % {"brand": organisation.name}),
                    reverse("accounts-pages:members", args=[str(organisation.public_id)]),
                )
            )
    items.append(NavItem("invitations", str(_("Invitations")), reverse("accounts-pages:my-invitations")))
    if roles.brand_memberships or roles.operator_memberships or roles.is_auditor or roles.is_staff:
        items.append(NavItem("render", str(_("Avatars & streams")), reverse("render:avatars")))
        items.append(NavItem("catalog", str(_("Catalog")), reverse("catalog:list")))
        items.append(NavItem("scripts", str(_("Scripts")), reverse("scripts:list")))
        items.append(NavItem("streams", str(_("Streams")), reverse("streams:list")))
    if roles.operator_memberships:
        items.append(NavItem("operator", str(_("Operator")), f"{dashboard}#operator"))
    if roles.is_auditor:
        items.append(NavItem("audit", str(_("Audit")), f"{dashboard}#audit"))
    if roles.is_auditor or roles.is_staff:
        items.append(NavItem("audit-exports", str(_("Audit exports")), reverse("audit-exports:list")))
        items.append(NavItem("ledger", str(_("Ledger")), reverse("ledger-pages:events")))
    if roles.is_auditor or roles.is_staff or any(m.role in ("owner", "reviewer") for m in roles.memberships):
        items.append(NavItem("compliance", str(_("Compliance")), reverse("compliance:index")))
    if roles.can_review_consents:
        items.append(NavItem("consent-review", str(_("Consent review")), reverse("consent:review-queue")))
    if roles.can_verify_brands:
        items.append(NavItem("brand-reviews", str(_("Brand verification")), reverse("accounts-pages:brand-reviews")))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": build_navigation(roles_for(request))}

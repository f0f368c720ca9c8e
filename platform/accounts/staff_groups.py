"""The platform staff's groups and what each may do, defined once in code.

Django's admin shows a staff user only the models their permissions cover; without any, it answers "You don't have
permission to view or edit anything". Staff get their permissions through these groups (a superuser needs none):

- reviewers: review consents (`consent.review_consentgrant`: the review page with the decrypted statement and
  training sample, approve or reject) and verify brands (`accounts.verify_organisation`), and read in the admin
  what those decisions rest on.
- support: read-only in the admin (accounts, avatars and jobs, the ledger), to answer people's questions.

Nothing here grants a change permission on a model whose writes have rules or ledger events: those go through the
services and pages. `sync_staff_groups` makes the database match this table; it runs after every `migrate` (and
after a test database flush), and as `manage.py sync_staff_groups`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

REVIEWERS = "reviewers"
SUPPORT = "support"

REVIEW_CONSENT = "consent.review_consentgrant"
VERIFY_BRAND = "accounts.verify_organisation"

_READ_ACCOUNTS = (
    "accounts.view_organisation",
    "accounts.view_membership",
    "accounts.view_invitation",
    "accounts.view_influencerprofile",
)
_READ_LEDGER = ("audit.view_ledgerevent", "audit.view_checkpoint")

STAFF_GROUPS: dict[str, tuple[str, ...]] = {
    REVIEWERS: (
        REVIEW_CONSENT,
        VERIFY_BRAND,
        "consent.view_consentgrant",
        "consent.view_reviewdecision",
        *_READ_ACCOUNTS,
        *_READ_LEDGER,
    ),
    SUPPORT: (
        "accounts.view_user",
        *_READ_ACCOUNTS,
        "render.view_avatar",
        "render.view_renderjob",
        "render.view_segment",
        *_READ_LEDGER,
    ),
}


@dataclass(frozen=True)
class GroupChange:
    group: str
    created: bool
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.created or bool(self.added or self.removed)


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".", 1)
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if permission is None:
        raise ImproperlyConfigured(f"The staff groups name the permission {name!r}, which does not exist.")
    return permission


def sync_staff_groups() -> list[GroupChange]:
    """Create the groups of STAFF_GROUPS and give each exactly its permissions; returns what changed."""
    changes = []
    with transaction.atomic():
        for name, permission_names in STAFF_GROUPS.items():
            group, created = Group.objects.get_or_create(name=name)
            wanted = {_permission(p) for p in permission_names}
            current = set(group.permissions.select_related("content_type"))
            group.permissions.add(*(wanted - current))
            group.permissions.remove(*(current - wanted))

            def label(p: Permission) -> str:
                return f"{p.content_type.app_label}.{p.codename}"

            changes.append(
                GroupChange(
                    group=name,
                    created=created,
                    added=tuple(sorted(label(p) for p in wanted - current)),
                    removed=tuple(sorted(label(p) for p in current - wanted)),
                )
            )
    return changes


def is_consent_reviewer(user: object) -> bool:
    """Active platform staff allowed to review consents (the reviewers group, or a superuser)."""
    return bool(
        getattr(user, "is_active", False) and getattr(user, "is_staff", False) and user.has_perm(REVIEW_CONSENT)  # type: ignore[attr-defined]
    )


def is_brand_verifier(user: object) -> bool:
    """Active platform staff allowed to verify or reject brands (the reviewers group, or a superuser)."""
    return bool(
        getattr(user, "is_active", False) and getattr(user, "is_staff", False) and user.has_perm(VERIFY_BRAND)  # type: ignore[attr-defined]
    )

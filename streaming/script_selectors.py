"""Reads of scripts, scoped like the catalog: the brand's members (any role), platform staff and platform auditors
see them; anyone else meets 404 for an id, whether it exists or not."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from accounts.selectors import list_organisations_for
from streaming.models import Script, ScriptApproval, ScriptVersion


def _uuid(value: UUID | str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise Http404("No such object.") from None


def list_scripts_for(user: User, *, organisation: Organisation) -> QuerySet[Script]:
    if not list_organisations_for(user).filter(pk=organisation.pk).exists():
        return Script.objects.none()
    return Script.objects.filter(organisation=organisation).select_related("organisation", "avatar")


def get_visible_script(user: User, public_id: UUID | str) -> Script:
    script = (
        Script.objects.filter(public_id=_uuid(public_id), organisation__in=list_organisations_for(user))
        .select_related("organisation", "avatar")
        .first()
    )
    if script is None:
        raise Http404("No such script.")
    return script


def get_version(script: Script, public_id: UUID | str) -> ScriptVersion:
    version = script.versions.filter(public_id=_uuid(public_id)).select_related("script__organisation").first()
    if version is None:
        raise Http404("No such script version.")
    return version


def versions_of(script: Script) -> QuerySet[ScriptVersion]:
    return script.versions.select_related("approval", "approval__reviewer", "created_by").order_by("-number")


def approval_of(version: ScriptVersion) -> ScriptApproval | None:
    return ScriptApproval.objects.filter(version=version).select_related("reviewer").first()


def last_approved_version(script: Script, *, before: int | None = None) -> ScriptVersion | None:
    """The newest approved version (older than version number `before`, when given): what a reviewer compares to."""
    versions = script.versions.filter(approval__isnull=False)
    if before is not None:
        versions = versions.filter(number__lt=before)
    return versions.order_by("-number").first()


def diff_from_last_approved(version: ScriptVersion) -> dict[str, Any]:
    """The line diff of `version` against the last approved version before it (every line added when none)."""
    base = last_approved_version(version.script, before=version.number)
    try:
        from streaming.script_diff import diff_lines
    except ImportError:  # pragma: no cover - until streaming.script_diff lands
        return {"base": None, "ops": []}
    ops = diff_lines(base.lines if base is not None else [], version.lines)
    return {
        "base": {"id": str(base.public_id), "number": base.number, "sha256": base.sha256} if base else None,
        "ops": [op.as_dict() for op in ops],
    }

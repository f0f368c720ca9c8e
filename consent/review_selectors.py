"""Read side of the staff review of a consent: who may review, the queue, and the evidence a reviewer weighs (scores,
the liveness result, the spoken code, the scope, and the grant's history from the ledger).

Only staff with `consent.review_consentgrant` (the reviewers group, accounts.staff_groups) see any of it: the
statement video and the training sample are biometric data, shown to nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.staff_groups import is_consent_reviewer
from audit.models import LedgerEvent
from consent.models import ConsentGrant, ReviewDecision, VaultObject
from consent.texts import LIVENESS_PROMPTS

MEDIA_KINDS = ("statement", "sample")


def require_reviewer(user: User) -> None:
    if not is_consent_reviewer(user):
        raise PermissionDenied(
            _("Only platform staff in the reviewers group may review consents and watch their videos.")
        )


def get_grant_for_review(user: User, grant_id: UUID | str) -> ConsentGrant:
    """A grant with a statement, for a reviewer (403 for anyone else, 404 for no such grant)."""
    require_reviewer(user)
    try:
        public_id = UUID(str(grant_id))
    except ValueError:
        raise Http404(_("No such consent grant.")) from None
    grant = (
        ConsentGrant.objects.select_related(
            "influencer__user", "template", "statement__data_key", "sample__data_key", "statement__influencer"
        )
        .prefetch_related("brands")
        .filter(public_id=public_id, statement__isnull=False)
        .first()
    )
    if grant is None:
        raise Http404(_("No such consent grant."))
    return grant


def media_of(grant: ConsentGrant, kind: str) -> VaultObject:
    """The statement video or the training sample the statement was compared with."""
    obj = grant.statement if kind == "statement" else grant.sample if kind == "sample" else None
    if obj is None:
        raise Http404(_("This consent has no such video."))
    return obj


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    kind: str
    actor: str
    detail: str


@dataclass(frozen=True)
class ReviewEvidence:
    """What the statement check recorded (`consent.statement_recorded`), plus the grant's ledger history."""

    liveness: dict[str, Any] = field(default_factory=dict)
    spoken_code: dict[str, Any] = field(default_factory=dict)
    screens: list[Any] = field(default_factory=list)
    face: dict[str, Any] = field(default_factory=dict)
    voice: dict[str, Any] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)


def _actor_names(events: list[LedgerEvent]) -> dict[str, str]:
    ids = {e.actor.split(":", 1)[1] for e in events if e.actor.startswith("user:")}
    rows = User.objects.filter(public_id__in=ids).values_list("public_id", "display_name", "email")
    return {f"user:{public_id}": name or email for public_id, name, email in rows}


def _label(choices: type[models.TextChoices], value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _detail(event: LedgerEvent, payload: dict[str, Any]) -> str:
    """One line of words for a history row (the ledger keeps identifiers; the reviewer reads labels)."""
    if event.kind == "consent.reviewed":
        return f"{_label(ReviewDecision.Decision, payload.get('decision'))}: {payload.get('reason', '')}"
    if event.kind == "consent.media_viewed":
        return _label(VaultObject.Kind, payload.get("media"))
    if "status" in payload:
        return _label(ConsentGrant.Status, payload["status"])
    return ""


def review_evidence(grant: ConsentGrant) -> ReviewEvidence:
    """One query for the grant's events (its own subject), one for the people who acted."""
    events = list(LedgerEvent.objects.filter(subject=f"consent:{grant.public_id}").order_by("seq"))
    names = _actor_names(events)
    recorded: dict[str, Any] = {}
    history = []
    for event in events:
        payload = event.payload_data
        if event.kind == "consent.statement_recorded":
            recorded = payload
        history.append(
            HistoryEntry(
                at=event.recorded_at,
                kind=event.kind,
                actor=names.get(event.actor, event.actor or _("the platform")),
                detail=_detail(event, payload),
            )
        )
    liveness = dict(recorded.get("liveness") or {})
    # Each asked action with the words the influencer was shown for it, in the reviewer's language.
    liveness["actions"] = [
        {**action, "prompt": _(LIVENESS_PROMPTS.get(str(action.get("action")), str(action.get("action"))))}
        for action in liveness.get("actions") or []
    ]
    return ReviewEvidence(
        liveness=liveness,
        spoken_code=dict(recorded.get("spoken_code") or {}),
        screens=list(recorded.get("screens") or []),
        face=dict(recorded.get("face") or {}),
        voice=dict(recorded.get("voice") or {}),
        history=history,
    )

"""Who may call what: one row per (route name, method), one expected status per persona.

`test_every_api_route_and_method_is_in_the_matrix` walks every URL pattern under /api/v1/ and fails when a route
or one of its methods has no row here, or a row names a route that no longer exists: each issue that adds an
endpoint adds its row, with a status for every persona.

Personas: anonymous; alice owns Acme; bob is Acme's operator; victor Acme's viewer; audrey audits Acme; charlie
owns Globex (the outsider); iris is an influencer with a real-name record; sam is platform staff; paula is a
platform auditor. Requests address Acme's objects, so charlie and iris meet another tenant's ids (404). Auditing
is read-only for what is audited only: audrey and paula act on their own account and consents like anyone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, reverse
from rest_framework.test import APIClient

from tests.audit.authorization_rows import export_rows
from tests.compliance.authorization_rows import compliance_rows
from tests.consent.authorization_rows import ConsentContext, consent_rows
from tests.interaction.authorization_rows import interaction_rows
from tests.render.authorization_rows import render_rows
from tests.streaming.authorization_rows import catalog_rows
from tests.streaming.script_authorization_rows import script_rows
from tests.streaming.stream_authorization_rows import stream_rows

PERSONAS = ("anonymous", "alice", "bob", "victor", "audrey", "charlie", "iris", "sam", "paula")
# Missing credentials: 401 with TokenAuthentication first, 403 with SessionAuthentication first; always the code.
NOAUTH = -1

Ctx = dict[str, Any]


@dataclass(frozen=True)
class Row:
    expected: dict[str, int]
    kwargs: Callable[[Ctx], dict[str, Any]] = lambda ctx: {}
    body: Callable[[Ctx, str], dict[str, Any] | None] = lambda ctx, persona: None
    notes: str = field(default="")


def _statuses(default: int, **overrides: int) -> dict[str, int]:
    statuses = dict.fromkeys(PERSONAS, default)
    statuses["anonymous"] = NOAUTH
    statuses.update(overrides)
    return statuses


def _acme(ctx: Ctx) -> dict[str, Any]:
    return {"public_id": ctx["acme"].public_id}


def _acme_victor(ctx: Ctx) -> dict[str, Any]:
    return {"public_id": ctx["acme"].public_id, "user_public_id": ctx["victor"].public_id}


def _invitation(ctx: Ctx, email: str) -> Any:
    """alice's open invitation of `email` to Acme as a viewer, made on first use."""
    from accounts.invitations import invite_member

    key = f"invitation:{email}"
    if key not in ctx:
        ctx[key] = invite_member(organisation=ctx["acme"], email=email, role="viewer", actor=ctx["alice"])
    return ctx[key]


def _acme_event(ctx: Ctx) -> dict[str, Any]:
    return {"pk": ctx["acme_event"].pk}


# Acme readers: its members, platform staff and platform auditors. Outsiders get 404, not 403.
ACME_READ = _statuses(200, charlie=404, iris=404)
# Owner-only writes to Acme: other members and platform readers 403, outsiders 404.
ACME_OWNER_WRITE = _statuses(403, charlie=404, iris=404)
# Ledger: staff, platform auditors, and owners/auditors of an organisation (for its events); others 403.
LEDGER_LIST = _statuses(200, bob=403, victor=403, iris=403)

MATRIX: dict[tuple[str, str], Row] = {
    ("api-root", "GET"): Row(_statuses(200)),
    # Accounts ------------------------------------------------------------------------------------------------
    ("accounts:auth-token", "POST"): Row(
        _statuses(200, anonymous=400),
        body=lambda ctx, p: {
            "email": ctx[p].email if p != "anonymous" else "nobody@example.com",
            "password": f"{p}-password-1",
        },
    ),
    ("accounts:auth-token", "DELETE"): Row(_statuses(204)),
    ("accounts:auth-token-list", "GET"): Row(_statuses(200)),
    # Everyone may revoke their own tokens (auditors too); an id that is not one of mine is a 404.
    ("accounts:auth-token-detail", "DELETE"): Row(
        _statuses(404), kwargs=lambda ctx: {"public_id": "00000000-0000-4000-8000-000000000000"}
    ),
    ("accounts:me", "GET"): Row(_statuses(200)),
    ("accounts:organisation-list", "GET"): Row(_statuses(200)),
    # Auditing Acme (audrey) or the platform (paula) limits nothing outside what is audited: both may found a brand.
    ("accounts:organisation-list", "POST"): Row(
        _statuses(201),
        body=lambda ctx, p: {"name": f"{p} brand", "slug": f"{p}-brand"},
    ),
    ("accounts:organisation-detail", "GET"): Row(ACME_READ, kwargs=_acme),
    ("accounts:organisation-detail", "PATCH"): Row(
        {**ACME_OWNER_WRITE, "alice": 200}, kwargs=_acme, body=lambda ctx, p: {"name": "Acme Renamed"}
    ),
    ("accounts:member-list", "GET"): Row(ACME_READ, kwargs=_acme),
    # Nobody is added directly any more: owners invite, and the invitee accepts.
    ("accounts:invitation-list", "GET"): Row(
        _statuses(403, alice=200, sam=200, paula=200, charlie=404, iris=404), kwargs=_acme
    ),
    ("accounts:invitation-list", "POST"): Row(
        {**ACME_OWNER_WRITE, "alice": 202},
        kwargs=_acme,
        body=lambda ctx, p: {"email": "newcomer@example.com", "role": "viewer"},
    ),
    ("accounts:invitation-detail", "DELETE"): Row(
        {**ACME_OWNER_WRITE, "alice": 204},
        kwargs=lambda ctx: {**_acme(ctx), "invitation_id": _invitation(ctx, "newcomer@example.com").public_id},
    ),
    ("accounts:my-invitation-list", "GET"): Row(_statuses(200)),
    # Only the invited address sees the invitation; for everyone else it does not exist.
    ("accounts:my-invitation-accept", "POST"): Row(
        _statuses(404, iris=201), kwargs=lambda ctx: {"invitation_id": _invitation(ctx, ctx["iris"].email).public_id}
    ),
    ("accounts:my-invitation-decline", "POST"): Row(
        _statuses(404, iris=200), kwargs=lambda ctx: {"invitation_id": _invitation(ctx, ctx["iris"].email).public_id}
    ),
    ("accounts:organisation-legal-entity", "GET"): Row(ACME_READ, kwargs=_acme),
    # The same legal entity again: nothing changes and Acme stays verified.
    ("accounts:organisation-legal-entity", "PUT"): Row(
        {**ACME_OWNER_WRITE, "alice": 200},
        kwargs=_acme,
        body=lambda ctx, p: {"legal_name": ctx["acme"].legal_name, "uscc": ctx["acme"].uscc},
    ),
    # Staff reach the decision; Acme is already verified, so verifying again is a conflict (409 not_pending).
    ("accounts:organisation-verification", "POST"): Row(
        _statuses(403, sam=409), kwargs=_acme, body=lambda ctx, p: {"decision": "verify"}
    ),
    ("accounts:brand-review-queue", "GET"): Row(_statuses(403, sam=200)),
    ("accounts:member-detail", "PATCH"): Row(
        {**ACME_OWNER_WRITE, "alice": 200}, kwargs=_acme_victor, body=lambda ctx, p: {"role": "editor"}
    ),
    ("accounts:member-detail", "DELETE"): Row({**ACME_OWNER_WRITE, "alice": 204}, kwargs=_acme_victor),
    ("accounts:influencer-list", "POST"): Row(
        _statuses(201, iris=409), body=lambda ctx, p: {"stage_name": f"{p} live"}
    ),
    ("accounts:influencer-me", "GET"): Row(_statuses(404, iris=200)),
    ("accounts:real-name-record-list", "POST"): Row(
        _statuses(403, sam=201),
        body=lambda ctx, p: {
            "user": str(ctx["victor"].public_id),
            "legal_name": "Victor Example",
            "id_number": "11010519491231002X",
            "date_of_birth": "1949-12-31",
            "method": "document_review",
        },
    ),
    # Ledger (read-only; audit app) ---------------------------------------------------------------------------
    ("ledger:ledger-event-list", "GET"): Row(LEDGER_LIST),
    ("ledger:ledger-event-detail", "GET"): Row({**LEDGER_LIST, "charlie": 404}, kwargs=_acme_event),
    # No checkpoint covers the event yet: readers get 409 not_checkpointed, the rest as for the event itself.
    ("ledger:ledger-event-proof", "GET"): Row(
        _statuses(409, bob=403, victor=403, iris=403, charlie=404), kwargs=_acme_event
    ),
    ("ledger:ledger-checkpoint-list", "GET"): Row(LEDGER_LIST),
}

# Each domain keeps the rows for its own routes beside its tests.
MATRIX.update(consent_rows(Row, _statuses, _acme))
MATRIX.update(render_rows(Row, _statuses))
MATRIX.update(catalog_rows(Row, _statuses))
MATRIX.update(script_rows(Row, _statuses))
MATRIX.update(stream_rows(Row, _statuses))
MATRIX.update(export_rows(Row, _statuses))
MATRIX.update(interaction_rows(Row, _statuses))
MATRIX.update(compliance_rows(Row, _statuses))


def _api_routes() -> Iterator[tuple[str, str]]:
    """Every (qualified URL name, HTTP method) served under /api/v1/."""
    import config.api

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            else:
                assert pattern.name, f"API route {pattern.pattern} has no name; name it so the matrix can list it."
                yield f"{namespace}{pattern.name}", pattern.callback

    for name, callback in walk(config.api.urlpatterns, ""):
        actions = getattr(callback, "actions", None)
        if actions:  # a viewset: the router bound these methods
            methods = set(actions)
        else:
            view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            assert view_class is not None, f"API route {name} is not a class-based view."
            methods = {m for m in view_class.http_method_names if hasattr(view_class, m)}
        for method in sorted(methods - {"options", "head"}):
            yield name, method.upper()


def test_every_api_route_and_method_is_in_the_matrix() -> None:
    served = set(_api_routes())
    missing = sorted(served - MATRIX.keys())
    stale = sorted(MATRIX.keys() - served)
    assert not missing, f"API routes without a row in the authorization matrix: {missing}"
    assert not stale, f"Matrix rows for routes that no longer exist: {stale}"


def test_every_row_names_a_status_for_every_persona() -> None:
    for key, row in MATRIX.items():
        assert set(row.expected) == set(PERSONAS), f"{key} does not cover every persona"


@pytest.fixture
def ctx(personas: dict[str, Any], paula: Any, settings: Any, tmp_path: Path) -> Ctx:
    from audit.models import LedgerEvent

    acme = personas["acme"]
    acme_event = LedgerEvent.objects.filter(organisation=acme).order_by("id").first()
    assert acme_event is not None
    # Domain objects the rows address, made on first use (a real grant of iris to Acme for the consent rows).
    consent = ConsentContext(personas, settings=settings, tmp_path=tmp_path)
    return {**personas, "paula": paula, "acme_event": acme_event, "consent": consent}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method"), sorted(MATRIX))
def test_the_matrix_holds(
    ctx: Ctx, client_for: Callable[[str], APIClient], name: str, method: str, persona: str
) -> None:
    row = MATRIX[(name, method)]
    url = reverse(name, kwargs=row.kwargs(ctx))
    body = row.body(ctx, persona)
    client = client_for(persona)
    if name == "accounts:auth-token" and method == "POST":
        client = APIClient()  # logging in is done with credentials, not with an existing session
    data = "" if body is None else json.dumps(body)
    response = client.generic(method, url, data=data, content_type="application/json")
    expected = row.expected[persona]
    detail = f"{method} {url} as {persona}: {response.status_code} {response.content[:300]!r}"
    if expected == NOAUTH:
        assert response.status_code in {401, 403}, detail
        assert response.json()["code"] == "not_authenticated", detail
    else:
        assert response.status_code == expected, detail
    if response.status_code >= 400:
        assert {"code", "message"} <= set(response.json()), detail

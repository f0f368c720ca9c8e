"""The auditor's ledger browser (portal pages under /ledger/): filter events by subject, kind and time; open one with
its canonical payload, hash, prev hash, chain neighbours, covering checkpoint and inclusion proof; verify the proof and
the checkpoint's Ed25519 signature in the page (static/audit/ledger_verify.js, WebCrypto), or on the server where a
browser lacks Ed25519 in WebCrypto (`event_verify`, JSON).

Who sees what is `audit.selectors.list_events_for`, the same rule as the ledger API: platform staff and platform
auditors everything, owners and auditors of an organisation that organisation's events; anyone else 403, an event
outside one's scope 404. Reads only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit import selectors
from audit.keys import KeyUnavailableError, load_public_keys
from audit.models import LedgerEvent
from audit.verify import checkpoint_body_of, verify_inclusion_proof, verify_signature

PAGE_SIZE = 50


class _BadFilterError(ValueError):
    pass


def _reader(request: HttpRequest) -> Any:
    if not selectors.may_read_ledger(request.user):
        raise PermissionDenied(
            _("The ledger is open to platform staff and auditors, and to owners and auditors of an organisation.")
        )
    return request.user


def _moment(value: str, what: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:  # well-formed but impossible, such as month 13
        parsed = None
    if parsed is None:
        raise _BadFilterError(_("The %(what)s time is not a date and time (YYYY-MM-DD HH:MM).") % {"what": what})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # the portal's time zone, as the form shows it
    return parsed


def _cursor(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise _BadFilterError(_("The page cursor is not an event id."))
    return int(value)


def _filtered(request: HttpRequest) -> tuple[QuerySet[LedgerEvent], dict[str, Any], bool]:
    query = request.GET
    filters = {
        "subject": query.get("subject", "").strip(),
        "kind": query.get("kind", "").strip(),
        "since": query.get("since", "").strip(),
        "until": query.get("until", "").strip(),
    }
    events = selectors.list_events_for(request.user, subject=filters["subject"] or None, kind=filters["kind"] or None)
    since, until = _moment(filters["since"], _("from")), _moment(filters["until"], _("to"))
    if since:
        events = events.filter(recorded_at__gte=since)
    if until:
        events = events.filter(recorded_at__lt=until)
    return events, filters, bool(since or until)


def _beyond(events: QuerySet[LedgerEvent], cursor: int, *, older: bool, by_time: bool) -> QuerySet[LedgerEvent]:
    """The events past the cursor event, in the page order. With a time filter the order is (recorded_at, id), which
    ledger_event_time_idx serves; the cursor stays an event id and its time is looked up by primary key."""
    if not by_time:
        return events.filter(id__lt=cursor) if older else events.filter(id__gt=cursor)
    moment = LedgerEvent.objects.filter(pk=cursor).values_list("recorded_at", flat=True).first()
    if moment is None:
        return events.none()
    operator = "<" if older else ">"
    return events.extra(  # noqa: S610 - constant SQL, values as parameters; a row comparison the ORM cannot say
        where=[f"(audit_ledgerevent.recorded_at, audit_ledgerevent.id) {operator} (%s, %s)"], params=[moment, cursor]
    )


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Newest first, PAGE_SIZE a page, keyset-paginated (`before` / `after` an event id): a page costs the same on
    the millionth event as on the first, where OFFSET would scan every skipped row. Without a time filter the order
    is the id (primary key, or ledger_event_org_idx / ledger_event_kind_idx with a scope or kind); with one, it is
    (recorded_at, id) on ledger_event_time_idx, the same order in practice (both are assigned at append)."""
    _reader(request)
    try:
        events, filters, by_time = _filtered(request)
        before, after = _cursor(request.GET.get("before", "")), _cursor(request.GET.get("after", ""))
    except _BadFilterError as exc:
        return render(
            request,
            "audit/ledger_list.html",
            {"events": [], "filters": request.GET, "error": str(exc), "active_nav": "ledger"},
            status=400,
        )
    newest_first = ("-recorded_at", "-id") if by_time else ("-id",)
    oldest_first = ("recorded_at", "id") if by_time else ("id",)
    if after is not None:
        # The page just newer than `after`: read upwards, then show newest first.
        page = list(_beyond(events, after, older=False, by_time=by_time).order_by(*oldest_first)[: PAGE_SIZE + 1])
        has_newer = len(page) > PAGE_SIZE
        page = page[:PAGE_SIZE][::-1]
        has_older = bool(page) and _beyond(events, page[-1].pk, older=True, by_time=by_time).exists()
    else:
        if before is not None:
            events = _beyond(events, before, older=True, by_time=by_time)
        page = list(events.order_by(*newest_first)[: PAGE_SIZE + 1])
        has_older = len(page) > PAGE_SIZE
        page = page[:PAGE_SIZE]
        has_newer = before is not None and bool(page)
    base = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "audit/ledger_list.html",
        {
            "events": page,
            "filters": filters,
            "older": {**base, "before": page[-1].pk} if page and has_older else None,
            "newer": {**base, "after": page[0].pk} if page and has_newer else None,
            "active_nav": "ledger",
        },
    )


def _visible(request: HttpRequest, pk: int) -> LedgerEvent:
    event = selectors.list_events_for(request.user).filter(pk=pk).first()
    if event is None:
        raise Http404(_("No such ledger event."))
    return event


def _neighbour(request: HttpRequest, event: LedgerEvent, seq: int) -> LedgerEvent | None:
    if seq < 1:
        return None
    return selectors.list_events_for(request.user).filter(subject=event.subject, seq=seq).first()


def _proof_and_key(event: LedgerEvent) -> tuple[dict[str, Any] | None, str | None]:
    try:
        proof = selectors.get_inclusion_proof(event.pk)
    except selectors.NotCheckpointedError:
        return None, None
    try:
        raw = load_public_keys().get(proof["checkpoint"]["key_id"])
    except KeyUnavailableError:
        raw = None
    return proof, raw.hex() if raw else None


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    event = _visible(request, pk)
    proof, public_key = _proof_and_key(event)
    from audit.verify import format_timestamp

    return render(
        request,
        "audit/ledger_event.html",
        {
            "event": event,
            "previous": _neighbour(request, event, event.seq - 1),
            "next": _neighbour(request, event, event.seq + 1),
            "proof": proof,
            "public_key": public_key,
            # What the page's script re-hashes: the envelope fields exactly as hashed (docs/ledger.md).
            "verification": {
                "event": {
                    "actor": event.actor,
                    "kind": event.kind,
                    "payload": event.payload,
                    "prev_hash": event.prev_hash,
                    "recorded_at": format_timestamp(event.recorded_at),
                    "seq": event.seq,
                    "subject": event.subject,
                    "hash": event.hash,
                },
                "proof": proof,
                "public_key": public_key,
            },
            "active_nav": "ledger",
        },
    )


@login_required
@require_GET
def event_verify(request: HttpRequest, pk: int) -> JsonResponse:
    """The same checks as the page's script, done by the server: for browsers without Ed25519 in WebCrypto (a
    server's word is weaker evidence than the auditor's own browser or `verify.py`; the page says which was used)."""
    _reader(request)
    event = _visible(request, pk)
    proof, public_key = _proof_and_key(event)
    if proof is None:
        return JsonResponse(
            {"code": "not_checkpointed", "message": _("No checkpoint covers this event yet.")}, status=409
        )
    body = checkpoint_body_of(proof["checkpoint"])
    return JsonResponse(
        {
            "proof_ok": verify_inclusion_proof(event_hash=event.hash, path=proof["path"], root=proof["root"])
            and proof["root"] == proof["checkpoint"]["merkle_root"],
            "signature_ok": public_key is not None
            and verify_signature(
                raw_public_key=bytes.fromhex(public_key), signature_hex=proof["checkpoint"]["signature"], message=body
            ),
        }
    )

"""The human operator's services: heartbeats (presence), interjections, take-over and hand-back, the presence
timeout, and the platform's own pause for absence and resume on return (docs/operator-console.md).

Douyin requires a virtual anchor to be driven by a real, verified person, so every operator action is refused unless
the actor is one of the stream's assigned operators, an owner or operator of the brand, and real-name verified and of
age now (not only at go-live). Every action is ledgered under the stream's subject naming who did it; heartbeats
themselves are not (one every few seconds): an operator's arrival, a presence gap and its end are.

What the live runner calls is in streaming.operator_control (the LiveControl seam); this module is what people do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import RealNameRecord, User
from audit.services import record_event
from common.api import DomainError
from streaming.linter import LintContext, lint_line, rules_version
from streaming.linter_versions import record_rules_version
from streaming.models import (
    PRESENCE_TIMEOUT_MAX_S,
    PRESENCE_TIMEOUT_MIN_S,
    Interjection,
    OperatorHeartbeat,
    Product,
    Stream,
    StreamPresence,
    Takeover,
)
from streaming.streams import MAX_REASON, can_operate_streams, can_write_streams, change_stream_state, refusal
from streaming.streams import transition_stream as _transition

State = Stream.State
ON_AIR = (State.LIVE, State.PAUSED)
MAX_INTERJECTION = 500
LANGUAGES = ("zh", "en")


# Who may operate ------------------------------------------------------------------------------------------------


def operator_refusal(stream: Stream, actor: User) -> DomainError | None:
    """Why `actor` may not operate `stream` now (403 with the go-live sentence), or None."""
    if not stream.operators.filter(pk=actor.pk).exists():
        code = "operator_not_assigned"
    elif not can_operate_streams(actor, stream.organisation_id):
        code = "operator_not_member"
    else:
        record = RealNameRecord.objects.filter(user=actor).first()
        if record is None:
            code = "operator_not_verified"
        elif record.adult_on is not None and record.adult_on > timezone.localdate():
            code = "operator_under_18"
        else:
            return None
    return DomainError(refusal(code).en, code=code, status_code=403)


def require_operator(stream: Stream, actor: User) -> None:
    problem = operator_refusal(stream, actor)
    if problem is not None:
        raise problem


def _require_on_air(stream: Stream, what: str) -> None:
    if stream.state not in ON_AIR:
        raise DomainError(
            f"{what} only while the stream is live or paused; it is {stream.state}.",
            code="stream_not_on_air",
            status_code=409,
        )


def _reason(value: object) -> str:
    return str(value or "").strip()[:MAX_REASON]


# Presence timeout -----------------------------------------------------------------------------------------------


def clean_presence_timeout(value: object) -> int:
    """Whole seconds from 10 to 300: presence can be made more or less strict, never switched off."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        seconds = None
    else:
        try:
            seconds = int(str(value).strip())
        except ValueError:
            seconds = None
    if seconds is None or not PRESENCE_TIMEOUT_MIN_S <= seconds <= PRESENCE_TIMEOUT_MAX_S:
        raise DomainError(
            f"The presence timeout is a whole number of seconds from {PRESENCE_TIMEOUT_MIN_S} to "
            f"{PRESENCE_TIMEOUT_MAX_S}; it cannot be switched off.",
            code="invalid_presence_timeout",
            status_code=400,
        )
    return seconds


def set_presence_timeout(*, stream: Stream, actor: User, seconds: object) -> Stream:
    """The brand's writers or the stream's operators set how long a console may be silent before the pause."""
    if not (can_write_streams(actor, stream.organisation_id) or operator_refusal(stream, actor) is None):
        raise DomainError(
            "Only the brand's owners and editors or the stream's operators may change the presence timeout.",
            code="permission_denied",
            status_code=403,
        )
    value = clean_presence_timeout(seconds)
    with transaction.atomic():
        locked = Stream.objects.select_for_update().select_related("organisation").get(pk=stream.pk)
        if locked.state in (State.ENDED, State.FAILED):
            raise DomainError("The stream is over.", code="stream_over", status_code=409)
        previous = locked.presence_timeout_s
        locked.presence_timeout_s = value
        locked.save(update_fields=["presence_timeout_s"])
        record_event(
            kind="stream.presence_timeout_set",
            subject=locked.subject,
            payload={"stream": str(locked.public_id), "timeout_s": value, "previous": previous},
            actor=actor,
            organisation=locked.organisation,
        )
    return locked


# Heartbeats and presence ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Beat:
    present: bool
    timeout_s: int
    state: str


def heartbeat(*, stream: Stream, operator: User, now: datetime | None = None) -> Beat:
    """One console heartbeat. Ledgers the operator's arrival (no beat of theirs within the timeout before) and,
    when the stream was in a presence gap, its end; a pause the platform made for absence is undone."""
    now = now or timezone.now()
    require_operator(stream, operator)
    if stream.state in (State.ENDED, State.FAILED):
        raise DomainError("The stream is over; no heartbeat is needed.", code="stream_over", status_code=409)
    timeout = timedelta(seconds=stream.presence_timeout_s)
    with transaction.atomic():
        row = OperatorHeartbeat.objects.select_for_update().filter(stream=stream, operator=operator).first()
        arrived = row is None or row.last_seen_at < now - timeout
        previous = row.last_seen_at if row is not None else None
        if row is None:
            try:
                with transaction.atomic():
                    row = OperatorHeartbeat.objects.create(
                        stream=stream, operator=operator, first_seen_at=now, last_seen_at=now
                    )
            except IntegrityError:
                # The same console's previous beat raced this one: theirs created the row.
                row = OperatorHeartbeat.objects.select_for_update().get(stream=stream, operator=operator)
                arrived = False
        if arrived:
            row.first_seen_at = now
        row.last_seen_at = max(row.last_seen_at, now)
        row.save(update_fields=["first_seen_at", "last_seen_at"])
        if arrived:
            record_event(
                kind="stream.operator_arrived",
                subject=stream.subject,
                payload={
                    "stream": str(stream.public_id),
                    "operator": str(operator.public_id),
                    "previous_seen_at": previous.isoformat() if previous else None,
                },
                actor=operator,
                organisation=stream.organisation,
            )
        presence, _ = StreamPresence.objects.select_for_update().get_or_create(stream=stream)
        if presence.absent_since is not None:
            record_event(
                kind="stream.presence_restored",
                subject=stream.subject,
                payload={
                    "stream": str(stream.public_id),
                    "operator": str(operator.public_id),
                    "absent_since": presence.absent_since.isoformat(),
                    "gap_seconds": round(max((now - presence.absent_since).total_seconds(), 0.0), 3),
                },
                actor=operator,
                organisation=stream.organisation,
            )
            presence.absent_since = None
            presence.save(update_fields=["absent_since"])
    state = resume_after_return(stream_id=stream.pk, operator=operator)
    return Beat(present=True, timeout_s=stream.presence_timeout_s, state=state)


def presence_lapsed(*, stream_id: int, now: datetime) -> bool:
    """Is the stream without a present operator at `now`? On the first look that finds it so, the gap is recorded
    (once, by a conditional UPDATE) and ledgered as `stream.presence_lapsed`. Two indexed queries when present."""
    stream = Stream.objects.filter(pk=stream_id).values("presence_timeout_s", "state").first()
    if stream is None:
        return True
    cutoff = now - timedelta(seconds=stream["presence_timeout_s"])
    assigned = Stream.operators.through.objects.filter(stream_id=stream_id).values("user_id")
    if OperatorHeartbeat.objects.filter(
        stream_id=stream_id, operator_id__in=assigned, last_seen_at__gte=cutoff
    ).exists():
        return False
    if stream["state"] not in ON_AIR:
        return True
    last = (
        OperatorHeartbeat.objects.filter(stream_id=stream_id, operator_id__in=assigned)
        .order_by("-last_seen_at")
        .values_list("last_seen_at", flat=True)
        .first()
    )
    absent_since = (last + timedelta(seconds=stream["presence_timeout_s"])) if last else now
    with transaction.atomic():
        _, created = StreamPresence.objects.get_or_create(stream_id=stream_id, defaults={"absent_since": absent_since})
        started = created or StreamPresence.objects.filter(stream_id=stream_id, absent_since__isnull=True).update(
            absent_since=absent_since
        )
        if started:
            live = Stream.objects.select_related("organisation").get(pk=stream_id)
            record_event(
                kind="stream.presence_lapsed",
                subject=live.subject,
                payload={
                    "stream": str(live.public_id),
                    "last_heartbeat_at": last.isoformat() if last else None,
                    "timeout_s": stream["presence_timeout_s"],
                    "detected_at": now.isoformat(),
                },
                actor="system",
                organisation=live.organisation,
            )
    return True


def pause_for_absence(*, stream_id: int, now: datetime) -> str:
    """live -> paused when no operator is present (the runner shows the labeled holding slate); the stream's state
    after the look. Nothing happens while an operator is present or when the stream is not live."""
    if not presence_lapsed(stream_id=stream_id, now=now):
        return str(Stream.objects.values_list("state", flat=True).get(pk=stream_id))
    stream = Stream.objects.get(pk=stream_id)
    if stream.state != State.LIVE:
        return str(stream.state)
    timeout = stream.presence_timeout_s
    try:
        paused = _transition(
            stream=stream,
            to=State.PAUSED,
            actor=None,
            reason=f"no operator heartbeat for {timeout} s: the holding slate airs until an operator returns",
            # The runner tells this pause apart from an operator's own (which only an operator resumes).
            extra={"pause_cause": Stream.PauseCause.OPERATOR_ABSENT},
        )
    except DomainError:
        # Someone moved the stream in between (an operator's own pause or end): theirs stands.
        return str(Stream.objects.values_list("state", flat=True).get(pk=stream_id))
    StreamPresence.objects.filter(stream_id=stream_id).update(absence_paused_at=paused.updated_at)
    return str(paused.state)


def resume_after_return(*, stream_id: int, operator: User | None = None) -> str:
    """paused -> live when the pause was the platform's for absence and is still the stream's latest move, and an
    operator is present again; the stream's state after the look."""
    stream = Stream.objects.get(pk=stream_id)
    presence = StreamPresence.objects.filter(stream_id=stream_id).first()
    if (
        stream.state != State.PAUSED
        or presence is None
        or presence.absent_since is not None
        or presence.absence_paused_at is None
        or presence.absence_paused_at != stream.updated_at
    ):
        return str(stream.state)
    try:
        live = _transition(
            stream=stream,
            to=State.LIVE,
            actor=operator,
            reason="an operator returned: the pause for absence ends",
            extra={"pause_cause": Stream.PauseCause.NONE},
        )
    except DomainError:
        return str(Stream.objects.values_list("state", flat=True).get(pk=stream_id))
    StreamPresence.objects.filter(stream_id=stream_id).update(absence_paused_at=None)
    return str(live.state)


# Interjections --------------------------------------------------------------------------------------------------


class InterjectionRefusedError(DomainError):
    """The linter found a blocking problem: the interjection is stored as refused and ledgered; `findings` are the
    blocking findings (rule, matched text and the sentence in English and Chinese)."""

    def __init__(self, message: str, *, findings: list[dict[str, Any]], interjection: Interjection) -> None:
        super().__init__(message, code="interjection_refused", status_code=400)
        self.findings = findings
        self.interjection = interjection


def _default_language(stream: Stream) -> str:
    entry = stream.playlist.select_related("version__script").order_by("position").first()
    language = entry.version.script.language if entry is not None else "zh"
    return language if language in LANGUAGES else "zh"


def _clean_text(text: object) -> str:
    value = str(text or "").strip() if isinstance(text, str) else ""
    if not value:
        raise DomainError("Type the line the avatar should say.", code="interjection_empty", status_code=400)
    if len(value) > MAX_INTERJECTION:
        raise DomainError(
            f"An interjection has at most {MAX_INTERJECTION} characters.", code="interjection_too_long", status_code=400
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise DomainError(
            "An interjection is one line without control characters.", code="invalid_interjection", status_code=400
        )
    return value


def _finding_data(finding: Any) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "matched": finding.matched,
        "span": [finding.start, finding.end],
        "en": finding.message_en,
        "zh": finding.message_zh,
    }


def interject(
    *, stream: Stream, operator: User, text: object, at_once: bool = False, language: str | None = None
) -> Interjection:
    """Lint a typed line and accept it for the runner (at the next sentence boundary, or at once with a natural
    cut-in), or refuse it with the linter's finding as a sentence. Refused lines are kept and ledgered too."""
    require_operator(stream, operator)
    _require_on_air(stream, "Interjections are taken")
    value = _clean_text(text)
    lang = language or _default_language(stream)
    if lang not in LANGUAGES:
        raise DomainError("language must be zh or en.", code="invalid_language", status_code=400)
    names = list(Product.objects.filter(organisation_id=stream.organisation_id).values_list("name", flat=True)[:500])
    # No product named: every category's rules apply (a medical claim is refused whatever is on sale).
    findings = [_finding_data(f) for f in lint_line(value, language=lang, context=LintContext(product_names=names))]
    blocking = [f for f in findings if f["severity"] == "block"]
    state = Interjection.State.REFUSED if blocking else Interjection.State.ACCEPTED
    with transaction.atomic():
        record_rules_version()
        row = Interjection.objects.create(
            stream=stream,
            text=value,
            language=lang,
            at_once=bool(at_once),
            by=operator,
            state=state,
            findings=findings,
            rules_version=rules_version(),
        )
        payload = {
            "stream": str(stream.public_id),
            "interjection": str(row.public_id),
            "text": value,
            "language": lang,
            "at_once": row.at_once,
            "by": str(operator.public_id),
            "rules_version": row.rules_version,
            "findings": [f"{f['rule']}/{f['severity']}" for f in findings],
        }
        if blocking:
            record_event(
                kind="stream.interjection_refused",
                subject=stream.subject,
                payload=payload,
                actor=operator,
                organisation=stream.organisation,
            )
        else:
            record_event(
                kind="stream.interjection_accepted",
                subject=stream.subject,
                payload=payload,
                actor=operator,
                organisation=stream.organisation,
            )
    if blocking:
        raise InterjectionRefusedError(
            "This line was refused: " + " ".join(f["en"] for f in blocking), findings=blocking, interjection=row
        )
    return row


# Take-over ------------------------------------------------------------------------------------------------------


def take_over(*, stream: Stream, operator: User, reason: object = "") -> Takeover:
    """The stream switches to the labeled holding slate until someone hands back. One take-over at a time."""
    require_operator(stream, operator)
    _require_on_air(stream, "A stream can be taken over")
    with transaction.atomic():
        Stream.objects.select_for_update().get(pk=stream.pk)
        current = Takeover.objects.filter(stream=stream, ended_at__isnull=True).select_related("by").first()
        if current is not None:
            who = current.by.display_name or current.by.email
            raise DomainError(
                f"{who} has taken this stream over already; hand back first.",
                code="takeover_active",
                status_code=409,
            )
        row = Takeover.objects.create(stream=stream, by=operator, reason=_reason(reason))
        record_event(
            kind="stream.taken_over",
            subject=stream.subject,
            payload={
                "stream": str(stream.public_id),
                "takeover": str(row.public_id),
                "by": str(operator.public_id),
                "reason": row.reason,
            },
            actor=operator,
            organisation=stream.organisation,
        )
    return row


def hand_back(*, stream: Stream, operator: User) -> Takeover:
    """The avatar resumes the playlist; any of the stream's operators may hand back (the ledger names both)."""
    require_operator(stream, operator)
    now = timezone.now()
    with transaction.atomic():
        current = (
            Takeover.objects.select_for_update()
            .filter(stream=stream, ended_at__isnull=True)
            .select_related("by")
            .first()
        )
        if current is None:
            raise DomainError("Nobody has taken this stream over.", code="no_takeover", status_code=409)
        current.ended_at = now
        current.ended_by = operator
        current.save(update_fields=["ended_at", "ended_by"])
        record_event(
            kind="stream.handed_back",
            subject=stream.subject,
            payload={
                "stream": str(stream.public_id),
                "takeover": str(current.public_id),
                "by": str(operator.public_id),
                "taken_by": str(current.by.public_id),
                "seconds": round((now - current.started_at).total_seconds(), 3),
            },
            actor=operator,
            organisation=stream.organisation,
        )
    return current


# Pause, resume, end ---------------------------------------------------------------------------------------------


def operator_change_state(*, stream: Stream, operator: User, to: str, reason: object = "") -> Stream:
    """Pause, resume or end from the console: the operator checks of this module, then streams.change_stream_state
    (ledgered there with who and why). An operator's own resume also ends any pause for absence."""
    require_operator(stream, operator)
    defaults: dict[str, str] = {
        State.PAUSED: "paused by the operator",
        State.LIVE: "resumed by the operator",
        State.ENDED: "ended by the operator",
    }
    if to not in defaults:
        raise DomainError("Choose pause, resume or end.", code="invalid_state", status_code=400)
    changed = change_stream_state(stream=stream, actor=operator, to=to, reason=_reason(reason) or defaults[to])
    if to == State.LIVE:
        StreamPresence.objects.filter(stream=stream).update(absence_paused_at=None)
    return changed

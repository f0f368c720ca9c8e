"""The checks the catalog names. Each takes the facts of one stream (or of the organisation) and returns an Outcome:
pass, fail or not applicable, with the evidence that decided it. Fail closed: evidence that is missing is a fail.

Evidence references are strings an auditor can follow in the bundle and the ledger browser: `ledger:<event id>`,
`segment:<stream id>/<sequence>`, `grant:<public id>`, `pia:<public id>`, `organisation:<public id>`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from compliance import spoken
from compliance.facts import OrganisationFacts, SegmentFact, StreamFacts

PASS, FAIL, NOT_APPLICABLE, NOT_CHECKABLE = "pass", "fail", "not_applicable", "not_checkable"
DISCLOSURE_LINE_ID = "ai-disclosure"  # render.engine.segment.DISCLOSURE_LINE_ID (engine is not imported here)
MIN_HEIGHT_FRACTION = 0.05  # GB 45438 §5.4 f)
MIN_OPENING_SECONDS = 2.0  # GB 45438 §5.4 g)
MIN_CONTRAST = 4.5  # internal floor, rules.md §12 (no legal number)
EDGE_BAND = 0.15  # internal band for "edge or corner", rules.md §12
_AI = re.compile(r"人工智能|AI")
_GENERATED = re.compile(r"生成|合成")
_MAX_EVIDENCE = 8


@dataclass(frozen=True)
class Outcome:
    result: str
    detail: str
    evidence: tuple[str, ...] = field(default=())


def _outcome(failures: list[tuple[str, str]], passed: list[str], ok: str) -> Outcome:
    """A fail naming the first failures (and how many there were), else a pass citing the first and last evidence."""
    if failures:
        first = failures[0][1]
        more = _(" (+%(n)s more)") % {"n": len(failures) - 1} if len(failures) > 1 else ""
        failing = tuple(dict.fromkeys(ref for ref, _ in failures))
        return Outcome(FAIL, f"{first}{more}", failing[:_MAX_EVIDENCE])
    return Outcome(PASS, ok, tuple(dict.fromkeys([*passed[:1], *passed[-1:]])))


def _no_segments(stream: StreamFacts) -> Outcome | None:
    if not stream.segments:
        return Outcome(
            FAIL, _("No segment.published event: nothing proves what was aired."), (f"ledger:{stream.job.subject}",)
        )
    return None


def _no_label(segment: SegmentFact) -> str:
    return _("segment %(n)s records no label") % {"n": segment.sequence}


def _label(segment: SegmentFact) -> dict[str, Any] | None:
    label = segment.payload.get("label_parameters")
    return label if isinstance(label, dict) and label.get("text") else None


def _per_segment(stream: StreamFacts, test: Callable[[SegmentFact, dict[str, Any]], str | None], ok: str) -> Outcome:
    empty = _no_segments(stream)
    if empty:
        return empty
    failures: list[tuple[str, str]] = []
    for segment in stream.segments:
        label = _label(segment)
        problem = _no_label(segment) if label is None else test(segment, label)
        if problem:
            failures.append((segment.ref, problem))
    return _outcome(failures, [s.ref for s in stream.segments], ok)


# Artifacts (compliance/artifacts.py): what the stored files showed, not what the ledger says -----------------------


def _artifact(stream: StreamFacts, key: str) -> Outcome:
    """The stored artifact check's finding `key`; fail closed when the stream was never examined."""
    check = stream.artifact
    if check is None:
        return Outcome(
            FAIL,
            _(
                "No artifact check has examined this stream's stored files yet: the ledger's claim alone is not "
                'evidence (run "Re-check now").'
            ),
            (f"ledger:{stream.job.subject}",),
        )
    part = (check.results or {}).get(key)
    ref = f"artifact_check:{check.public_id}"
    if not isinstance(part, dict) or part.get("result") not in (PASS, FAIL):
        return Outcome(
            FAIL,
            _("The artifact check of %(when)s UTC did not measure %(key)s.")
            % {"when": f"{check.finished_at:%Y-%m-%d %H:%M}", "key": key},
            (ref,),
        )
    when = _(" (measured %(when)s UTC)") % {"when": f"{check.finished_at:%Y-%m-%d %H:%M}"}
    return Outcome(str(part["result"]), f"{part.get('detail', '')}{when}", (*part.get("evidence", [])[:4], ref))


def _with_artifacts(stream: StreamFacts, ledger: Outcome, *keys: str) -> Outcome:
    """Pass only when the ledger's claims and every named artifact finding pass; the first failure decides."""
    if ledger.result != PASS:
        return ledger
    found = [_artifact(stream, key) for key in keys]
    for part in found:
        if part.result != PASS:
            return part
    detail = " ".join([ledger.detail, *(_("Measured: %(detail)s") % {"detail": p.detail} for p in found)])
    return Outcome(PASS, detail, tuple(dict.fromkeys([*ledger.evidence, *(r for p in found for r in p.evidence)])))


def aigc_metadata(stream: StreamFacts) -> Outcome:
    empty = _no_segments(stream)
    return empty or _artifact(stream, "aigc_metadata")


# Labels --------------------------------------------------------------------------------------------------------------


def _label_text_elements_claimed(stream: StreamFacts) -> Outcome:
    def test(segment: SegmentFact, label: dict[str, Any]) -> str | None:
        text = str(label["text"])
        if _AI.search(text) and _GENERATED.search(text):
            return None
        return _("segment %(n)s: label %(text)r lacks the AI or the generation element") % {
            "n": segment.sequence,
            "text": text,
        }

    return _per_segment(
        stream,
        test,
        _("Every one of %(n)s segments carries a label with both elements.") % {"n": len(stream.segments)},
    )


def _label_height_claimed(stream: StreamFacts) -> Outcome:
    def test(segment: SegmentFact, label: dict[str, Any]) -> str | None:
        try:
            width, height = (int(v) for v in label["frame"])
            fraction = float(label["text_height_px"]) / min(width, height)
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            return _("segment %(n)s: label size not recorded") % {"n": segment.sequence}
        if fraction + 1e-9 < MIN_HEIGHT_FRACTION:
            return _("segment %(n)s: text height %(fraction)s of the shortest side (< 5 %%)") % {
                "n": segment.sequence,
                "fraction": f"{fraction:.1%}",
            }
        return None

    return _per_segment(
        stream, test, _("Label text height is at least 5 %% of the shortest side on every segment.") % {}
    )


def label_position(stream: StreamFacts) -> Outcome:
    def test(segment: SegmentFact, label: dict[str, Any]) -> str | None:
        try:
            width, height = (int(v) for v in label["frame"])
            x, y, w, h = (int(v) for v in label["box"])
        except (KeyError, TypeError, ValueError):
            return _("segment %(n)s: label box not recorded") % {"n": segment.sequence}
        near = (
            x <= EDGE_BAND * width
            or x + w >= (1 - EDGE_BAND) * width
            or y <= EDGE_BAND * height
            or y + h >= (1 - EDGE_BAND) * height
        )
        if near:
            return None
        return _("segment %(n)s: label box %(box)s is not at an edge or corner") % {
            "n": segment.sequence,
            "box": f"{x},{y} {w}x{h}",
        }

    return _per_segment(stream, test, _("The label sits at an edge or corner on every segment."))


def label_at_start(stream: StreamFacts) -> Outcome:
    empty = _no_segments(stream)
    if empty:
        return empty
    first = stream.segments[0]
    if first.sequence != 0:
        return Outcome(FAIL, _("The first recorded segment is %(n)s, not 0.") % {"n": first.sequence}, (first.ref,))
    label = _label(first)
    if label is None:
        return Outcome(FAIL, _("Segment 0 records no label."), (first.ref,))
    if not label.get("opening_text"):
        return Outcome(FAIL, _("Segment 0 records no opening notice."), (first.ref,))
    return Outcome(
        PASS,
        _("Segment 0 opens with %(opening)r and carries %(label)r.")
        % {"opening": label["opening_text"], "label": label["text"]},
        (first.ref,),
    )


def label_duration(stream: StreamFacts) -> Outcome:
    start = label_at_start(stream)
    if start.result != PASS:
        return start
    label = _label(stream.segments[0]) or {}
    try:
        seconds = float(label.get("opening_seconds") or 0)
    except (TypeError, ValueError):
        seconds = 0.0
    ref = stream.segments[0].ref
    if seconds + 1e-9 < MIN_OPENING_SECONDS:
        return Outcome(FAIL, _("The opening notice lasts %(s)s s (< 2 s).") % {"s": f"{seconds:g}"}, (ref,))
    return Outcome(
        PASS, _("The opening notice lasts %(s)s s; the corner label stays on.") % {"s": f"{seconds:g}"}, (ref,)
    )


def _label_persistent_claimed(stream: StreamFacts) -> Outcome:
    empty = _no_segments(stream)
    if empty:
        return empty
    failures: list[tuple[str, str]] = []
    expected = 0
    for segment in stream.segments:
        if segment.sequence != expected:
            failures.append(
                (
                    segment.ref,
                    _("gap: segment %(missing)s is missing before %(n)s")
                    % {"missing": expected, "n": segment.sequence},
                )
            )
        expected = segment.sequence + 1
        label = _label(segment)
        if label is None:
            failures.append((segment.ref, _no_label(segment)))
            continue
        try:
            contrast = float(label.get("contrast_ratio", 0))
        except (TypeError, ValueError):
            contrast = 0.0
        if contrast + 1e-9 < MIN_CONTRAST:
            failures.append(
                (
                    segment.ref,
                    _("segment %(n)s: contrast %(ratio)s:1 (< 4.5:1)")
                    % {"n": segment.sequence, "ratio": f"{contrast:g}"},
                )
            )
    planned = stream.job.segment_count
    if planned is not None and stream.job.status == "done" and expected < planned:
        failures.append(
            (
                f"ledger:{stream.job.subject}",
                _("%(planned)s segments planned, %(recorded)s recorded") % {"planned": planned, "recorded": expected},
            )
        )
    return _outcome(
        failures,
        [s.ref for s in stream.segments],
        _("Labelled without a gap over %(n)s segments.") % {"n": expected},
    )


# Disclosure and marks ------------------------------------------------------------------------------------------------


def spoken_disclosure(stream: StreamFacts) -> Outcome:
    empty = _no_segments(stream)
    if empty:
        return empty
    first = stream.segments[0]
    if DISCLOSURE_LINE_ID in (first.payload.get("script_line_ids") or []):
        return Outcome(PASS, _("The spoken AI disclosure is heard in segment 0."), (first.ref,))
    return Outcome(FAIL, _("Segment 0 does not carry the spoken AI disclosure."), (first.ref,))


def eu_disclosure(stream: StreamFacts) -> Outcome:
    for part in (label_at_start(stream), spoken_disclosure(stream)):
        if part.result != PASS:
            return part
    return Outcome(PASS, _("Label and spoken disclosure at first exposure (segment 0)."), (stream.segments[0].ref,))


def _machine_readable_marks_claimed(stream: StreamFacts) -> Outcome:
    def test(segment: SegmentFact, label: dict[str, Any]) -> str | None:
        if not segment.payload.get("manifest_id"):
            return _("segment %(n)s: no C2PA manifest") % {"n": segment.sequence}
        if not segment.payload.get("watermark_id"):
            return _("segment %(n)s: no watermark id") % {"n": segment.sequence}
        return None

    return _per_segment(stream, test, _("Every segment has a C2PA manifest and a watermark id."))


def _c2pa_chain_claimed(stream: StreamFacts) -> Outcome:
    empty = _no_segments(stream)
    if empty:
        return empty
    failures: list[tuple[str, str]] = []
    previous: str | None = None
    for segment in stream.segments:
        manifest = segment.payload.get("manifest_id")
        if not manifest:
            failures.append((segment.ref, _("segment %(n)s: no C2PA manifest") % {"n": segment.sequence}))
        elif (segment.payload.get("previous_manifest_id") or None) != previous:
            failures.append((segment.ref, _("segment %(n)s: manifest chain broken") % {"n": segment.sequence}))
        previous = manifest
    return _outcome(failures, [s.ref for s in stream.segments], _("The manifest chain is unbroken."))


def recording_kept(stream: StreamFacts) -> Outcome:
    """Every stored segment file re-hashed against the ledger's claim (the artifact, not the ledger's word) -- by the
    artifact check's task, whose dated result is read here (compliance.recording): evaluating never reads the files."""
    empty = _no_segments(stream)
    if empty:
        return empty
    if stream.purged:
        return Outcome(
            PASS,
            _("Files purged after their retention date; hashes and events kept."),
            (f"ledger:{stream.job.subject}",),
        )
    return _artifact(stream, "recording")


def label_text_elements(stream: StreamFacts) -> Outcome:
    return _with_artifacts(stream, _label_text_elements_claimed(stream), "label_text")


def label_height(stream: StreamFacts) -> Outcome:
    return _with_artifacts(stream, _label_height_claimed(stream), "label_height")


def label_persistent(stream: StreamFacts) -> Outcome:
    return _with_artifacts(stream, _label_persistent_claimed(stream), "label_presence")


def machine_readable_marks(stream: StreamFacts) -> Outcome:
    return _with_artifacts(stream, _machine_readable_marks_claimed(stream), "c2pa", "watermark")


def c2pa_chain(stream: StreamFacts) -> Outcome:
    return _with_artifacts(stream, _c2pa_chain_claimed(stream), "c2pa")


# Consent and people --------------------------------------------------------------------------------------------------


def consent_at_every_segment(stream: StreamFacts) -> Outcome:
    empty = _no_segments(stream)
    if empty:
        return empty
    failures: list[tuple[str, str]] = []
    for segment in stream.segments:
        grant = stream.grants.get(str(segment.payload.get("consent_grant_id")))
        at = segment.wall_clock_start
        if grant is None or at is None:
            failures.append(
                (segment.ref, _("segment %(n)s: no consent grant or time recorded") % {"n": segment.sequence})
            )
            continue
        active = (
            grant.activated_at is not None
            and grant.activated_at <= at
            and grant.valid_from <= at < grant.valid_until
            and (grant.revoked_at is None or at < grant.revoked_at)
        )
        if not active:
            failures.append(
                (
                    f"grant:{grant.public_id}",
                    _("segment %(n)s: consent not active at %(at)s")
                    % {"n": segment.sequence, "at": f"{at:%Y-%m-%d %H:%M:%S}"},
                )
            )
    grants = [f"grant:{g}" for g in stream.grants]
    return _outcome(failures, grants, _("The consent was active when every segment was rendered."))


def _grant(stream: StreamFacts) -> Any:
    return next(iter(stream.grants.values()), None)


def consent_covers_use(stream: StreamFacts) -> Outcome:
    grant = _grant(stream)
    if grant is None:
        return Outcome(FAIL, _("No consent grant behind this stream."), (f"ledger:{stream.job.subject}",))
    scope = grant.scope or {}
    ref = f"grant:{grant.public_id}"
    brand_ids = {str(b.get("id")) for b in scope.get("brands", []) if isinstance(b, dict)}
    job = stream.job
    if str(job.brand.public_id) not in brand_ids:
        return Outcome(FAIL, _("The signed scope does not name this brand."), (ref,))
    if job.purpose not in scope.get("purposes", []):
        return Outcome(FAIL, _("The signed scope does not cover the purpose %(p)s.") % {"p": job.purpose}, (ref,))
    if job.platform not in scope.get("platforms", []):
        return Outcome(FAIL, _("The signed scope does not cover the platform %(p)s.") % {"p": job.platform}, (ref,))
    return Outcome(
        PASS,
        _("The signed scope names this brand, %(purpose)s and %(platform)s.")
        % {"purpose": job.purpose, "platform": job.platform},
        (ref,),
    )


def consent_covers_voice(stream: StreamFacts) -> Outcome:
    if not stream.job.avatar.voice:
        return Outcome(NOT_APPLICABLE, _("The avatar does not clone the voice (a generic voice speaks)."), ())
    grant = _grant(stream)
    if grant is None:
        return Outcome(FAIL, _("No consent grant behind this stream."), (f"ledger:{stream.job.subject}",))
    if "voice" in (grant.scope or {}).get("modalities", []):
        return Outcome(PASS, _("The signed scope includes the voice."), (f"grant:{grant.public_id}",))
    return Outcome(FAIL, _("The cloned voice is not in the signed scope."), (f"grant:{grant.public_id}",))


def influencer_real_name(stream: StreamFacts) -> Outcome:
    record = stream.real_name
    if record is None:
        return Outcome(FAIL, _("The influencer has no real-name record."), ())
    start = stream.start
    if start is not None and record.verified_at > start:
        return Outcome(
            FAIL, _("The real name was verified only after the stream started."), (f"real_name:{record.pk}",)
        )
    return Outcome(PASS, _("Real name verified (%(method)s).") % {"method": record.method}, (f"real_name:{record.pk}",))


def influencer_adult(stream: StreamFacts) -> Outcome:
    record = stream.real_name
    if record is None:
        return Outcome(FAIL, _("No real-name record: the age is unknown."), ())
    start = stream.start
    if start is None:
        return Outcome(FAIL, _("The stream records no start time."), (f"ledger:{stream.job.subject}",))
    if record.is_adult_on(start.date()):
        return Outcome(PASS, _("The influencer was an adult when the stream ran."), (f"real_name:{record.pk}",))
    return Outcome(FAIL, _("The influencer was under 18 when the stream ran."), (f"real_name:{record.pk}",))


def script_approved(stream: StreamFacts) -> Outcome:
    from streaming.models import ScriptApproval

    job = stream.job
    if not job.script_approval_id:
        return Outcome(FAIL, _("The stream names no approved script version."), (f"ledger:{job.subject}",))
    approval = ScriptApproval.objects.filter(public_id=job.script_approval_id).select_related("version").first()
    if approval is None:
        return Outcome(FAIL, _("The named approval does not exist."), (f"ledger:{job.subject}",))
    if approval.version.sha256 != job.script_version_sha256:
        return Outcome(
            FAIL,
            _("The aired script's hash differs from the approved version's."),
            (f"approval:{approval.public_id}",),
        )
    refs = (f"approval:{approval.public_id}",) + (
        (f"ledger:{approval.ledger_event_id}",) if approval.ledger_event_id else ()
    )
    if approval.created_at > (stream.start or approval.created_at):
        return Outcome(FAIL, _("The script was approved after the stream started."), refs)
    # The approval covers what aired only if every line heard is one of the approved version's lines (or the
    # spoken disclosure the renderer adds), a line of an approved version on the live playlist, or an answer that
    # traces to an approved FAQ answer (compliance.spoken): a line from anywhere else never went through review.
    approved_ids = {str(line.get("id")) for line in approval.version.lines or [] if isinstance(line, dict)}
    live = spoken.live_stream_of(job)
    playlist = _playlist_lines(live, stream.start)
    stray: list[tuple[str, str]] = []
    answers: dict[str, tuple[str, int]] = {}  # answer key -> (first evidence ref, segment)
    interjections: dict[str, tuple[str, int]] = {}  # interjection id -> (first evidence ref, segment)
    for segment in stream.segments:
        for raw in segment.payload.get("script_line_ids") or []:
            line_id = str(raw)
            if line_id == DISCLOSURE_LINE_ID or line_id in approved_ids or _on_playlist(line_id, playlist):
                continue
            key = spoken.answer_key(line_id)
            if key is not None:
                answers.setdefault(key, (segment.ref, segment.sequence))
                continue
            interjection = spoken.interjection_key(line_id)
            if interjection is not None:
                interjections.setdefault(interjection, (segment.ref, segment.sequence))
                continue
            stray.append(
                (
                    segment.ref,
                    _("segment %(n)s: line %(line)r is not in the approved version")
                    % {"n": segment.sequence, "line": line_id},
                )
            )
    for said in spoken.spoken_events(live):
        (answers if said.kind == "answer" else interjections).setdefault(said.key, (said.ref, said.sequence))
    traced: list[str] = []
    checks = [(spoken.trace_answer, key, at) for key, at in answers.items()]
    checks += [(spoken.trace_interjection, key, at) for key, at in interjections.items()]
    for trace, key, (ref, sequence) in checks:
        problem, evidence = trace(key, stream=live)
        if problem:
            stray.append((ref, _("segment %(n)s: %(problem)s") % {"n": sequence, "problem": problem}))
        else:
            traced.append(evidence)
    if stray:
        return _outcome(stray, [], "")
    overridden = len(approval.overrides or {})
    answered = (
        _(" %(n)s answer(s) spoken, each an approved FAQ answer or an operator's linted reply.") % {"n": len(answers)}
        if answers
        else ""
    )
    if interjections:
        answered += _(" %(n)s interjection(s), each linted and typed by a named operator.") % {"n": len(interjections)}
    return Outcome(
        PASS,
        _(
            "Version %(number)s approved before air, every line heard is one of its lines; %(blocking)s blocking "
            "finding(s), %(overridden)s signed override(s)."
        )
        % {"number": approval.version.number, "blocking": approval.version.blocking_count, "overridden": overridden}
        + answered,
        refs + tuple(dict.fromkeys(traced))[:_MAX_EVIDENCE],
    )


def _playlist_lines(live: Any, start: Any) -> set[tuple[int, str]]:
    """(entry index, line id) of every line of the live playlist's entries whose version was approved before the
    stream began; empty for a rendered-only job."""
    if live is None:
        return set()
    from streaming.models import ScriptApproval

    entries = list(live.playlist.select_related("version").order_by("position"))
    approved = {
        a.version_id
        for a in ScriptApproval.objects.filter(version__in=[e.version_id for e in entries])
        if start is None or a.created_at <= start
    }
    return {
        (index, str(line.get("id")))
        for index, entry in enumerate(entries)
        if entry.version_id in approved
        for line in entry.version.lines or []
        if isinstance(line, dict)
    }


def _on_playlist(line_id: str, lines: set[tuple[int, str]]) -> bool:
    """The live runner's line ids are "<loop>.<entry>.<line id>" (streaming.runner), with "~<sequence>" after a
    line said again in full after an at-once interjection cut it (streaming.runner.plan_blocks)."""
    from streaming.runner.plan_blocks import playlist_line_id

    parts = playlist_line_id(line_id).split(".", 2)
    if len(parts) != 3 or not (parts[0].isdigit() and parts[1].isdigit()):
        return False
    return (int(parts[1]), parts[2]) in lines


def excluded_products(stream: StreamFacts) -> Outcome:
    """No product the aired version's lines present is in a category the consent behind the stream excludes (read
    from the signed scope, streaming.consent_scope.product_allowed_for), re-checked after the fact."""
    from streaming.consent_scope import product_allowed_for
    from streaming.models import Product, ScriptApproval

    job = stream.job
    approval = (
        ScriptApproval.objects.filter(public_id=job.script_approval_id).select_related("version").first()
        if job.script_approval_id  # a job from before script approvals records none
        else None
    )
    if approval is None:
        return Outcome(
            FAIL,
            _("The stream names no approved script: its products cannot be known."),
            (f"ledger:{job.subject}",),
        )
    ids = {
        str(p) for line in approval.version.lines or [] if isinstance(line, dict) for p in line.get("product_ids") or []
    }
    if not ids:
        return Outcome(NOT_APPLICABLE, _("The aired script presents no product."), (f"approval:{approval.public_id}",))
    products = list(Product.objects.filter(organisation=job.brand, public_id__in=list(ids)))
    failures: list[tuple[str, str]] = []
    if len(products) < len(ids):
        failures.append(
            (
                f"approval:{approval.public_id}",
                _("a product the script presents is gone from the catalog: its category cannot be checked"),
            )
        )
    if not stream.grants:
        return Outcome(FAIL, _("No consent grant behind this stream."), (f"ledger:{job.subject}",))
    for grant in stream.grants.values():
        for product in products:
            decision = product_allowed_for(grant, product)
            if not decision:
                failures.append((f"grant:{grant.public_id}", decision.message))
    return _outcome(
        failures,
        [f"approval:{approval.public_id}", *(f"grant:{g}" for g in stream.grants)],
        _("None of the %(n)s product(s) presented is in a category the consent excludes.") % {"n": len(products)},
    )


# Organisation --------------------------------------------------------------------------------------------------------


def brand_verified(org: OrganisationFacts) -> Outcome:
    organisation = org.organisation
    ref = f"organisation:{organisation.public_id}"
    if organisation.verification_status == "verified" and organisation.verified_at is not None:
        return Outcome(PASS, _("Legal entity %(name)s verified by staff.") % {"name": organisation.legal_name}, (ref,))
    return Outcome(FAIL, _("The brand's legal entity is not verified."), (ref,))


def virtual_anchor_registered(org: OrganisationFacts) -> Outcome:
    from streaming.models import Stream

    streams = Stream.objects.filter(organisation=org.organisation, platform="douyin")
    if org.since is not None:
        streams = streams.filter(stops_at__gte=org.since)
    if org.until is not None:
        streams = streams.filter(starts_at__lt=org.until)
    rows = list(streams.values_list("public_id", "registration_id"))
    if not rows:
        return Outcome(NOT_APPLICABLE, _("No Douyin stream in the period."), ())
    missing = [
        (f"stream:{pid}", _("a Douyin stream without a virtual-anchor registration id")) for pid, reg in rows if not reg
    ]
    return _outcome(
        missing,
        [f"stream:{pid}" for pid, _reg in rows],
        _("All %(n)s Douyin streams carry a registration id.") % {"n": len(rows)},
    )


# Live streams: operators, presence, licence hours ----------------------------------------------------------------


def _live_streams(org: OrganisationFacts) -> list[Any]:
    """The organisation's streaming Streams scheduled in the period that went live (a stream.went_live event)."""
    from audit.models import LedgerEvent
    from streaming.models import Stream

    streams = Stream.objects.filter(organisation=org.organisation)
    if org.since is not None:
        streams = streams.filter(stops_at__gte=org.since)
    if org.until is not None:
        streams = streams.filter(starts_at__lt=org.until)
    rows = list(streams.order_by("starts_at", "id"))
    live = set(
        LedgerEvent.objects.filter(subject__in=[s.subject for s in rows], kind="stream.went_live").values_list(
            "subject", flat=True
        )
    )
    return [s for s in rows if s.subject in live]


def operator_reverified_at_go_live(org: OrganisationFacts) -> Outcome:
    """The brand's legal entity is verified, and every stream that went live did so after one of its bound operators,
    whose real name is on record, re-verified with a passkey (stream.operator_verified, recorded by go_live)."""
    from accounts.models import RealNameRecord
    from audit.models import LedgerEvent

    brand = brand_verified(org)
    if brand.result != PASS:
        return brand
    streams = _live_streams(org)
    if not streams:
        return Outcome(NOT_APPLICABLE, _("No stream went live in the period."), brand.evidence)
    failures: list[tuple[str, str]] = []
    passed: list[str] = []
    for stream in streams:
        went_live = LedgerEvent.objects.filter(subject=stream.subject, kind="stream.went_live").order_by("seq")
        verified = {
            e.payload_data.get("operator"): e
            for e in LedgerEvent.objects.filter(subject=stream.subject, kind="stream.operator_verified")
        }
        bound = {str(u.public_id): u for u in stream.operators.all()}
        for event in went_live:
            match = next((v for v in verified.values() if abs(v.seq - event.seq) <= 2), None)
            if match is None:
                failures.append(
                    (
                        f"ledger:{event.pk}",
                        _("stream %(id)s went live without a passkey re-verification of its operator")
                        % {"id": stream.public_id},
                    )
                )
                continue
            operator = bound.get(str(match.payload_data.get("operator")))
            if operator is None:
                failures.append(
                    (
                        f"ledger:{match.pk}",
                        _("stream %(id)s: the operator who went live is not bound to the stream")
                        % {"id": stream.public_id},
                    )
                )
            elif not RealNameRecord.objects.filter(user=operator).exists():
                failures.append(
                    (
                        f"ledger:{match.pk}",
                        _("stream %(id)s: the operator who went live has no real-name record")
                        % {"id": stream.public_id},
                    )
                )
            else:
                passed.append(f"ledger:{match.pk}")
    return _outcome(
        failures,
        [*brand.evidence, *passed],
        _(
            "Brand verified; every go-live of %(n)s stream(s) followed a passkey re-verification of a bound, "
            "real-name operator."
        )
        % {"n": len(streams)},
    )


_PRESENCE_KINDS = (
    "stream.presence_lapsed",
    "stream.paused",
    "stream.ended",
    "stream.presence_restored",
    "stream.operator_arrived",
    "stream.resumed",
)


def operator_presence(org: OrganisationFacts) -> Outcome:
    """No stretch of a live stream without an operator: every stream.presence_lapsed is followed by the stream being
    paused (the holding slate) or ended, or by the operator's return, never by it carrying on or resuming unattended."""
    from audit.models import LedgerEvent

    streams = _live_streams(org)
    if not streams:
        return Outcome(NOT_APPLICABLE, _("No stream went live in the period."), ())
    failures: list[tuple[str, str]] = []
    lapses = 0
    for stream in streams:
        events = list(
            LedgerEvent.objects.filter(subject=stream.subject, kind__in=_PRESENCE_KINDS)
            .order_by("seq")
            .values("pk", "kind")
        )
        for i, event in enumerate(events):
            if event["kind"] != "stream.presence_lapsed":
                continue
            lapses += 1
            after = next((e["kind"] for e in events[i + 1 :] if e["kind"] != "stream.presence_lapsed"), None)
            if after not in ("stream.paused", "stream.ended", "stream.presence_restored", "stream.operator_arrived"):
                failures.append(
                    (
                        f"ledger:{event['pk']}",
                        _("stream %(id)s: no operator present, and the stream was neither paused nor ended")
                        % {"id": stream.public_id},
                    )
                )
    return _outcome(
        failures,
        [f"stream:{s.public_id}" for s in streams],
        _("%(n)s live stream(s): %(lapses)s operator absence(s), each met by a pause, the end or the return.")
        % {"n": len(streams), "lapses": lapses},
    )


def licence_hours(org: OrganisationFacts) -> Outcome:
    """Live use per licence day (LiveUsageDay, metered per segment) within the grant's `limits.hours_per_day`."""
    from streaming.metering import hours_per_day
    from streaming.models import LiveUsageDay

    days = LiveUsageDay.objects.filter(organisation=org.organisation).select_related("grant")
    if org.since is not None:
        days = days.filter(day__gte=org.since.date())
    if org.until is not None:
        days = days.filter(day__lt=org.until.date())
    rows = list(days.order_by("day"))
    if not rows:
        return Outcome(NOT_APPLICABLE, _("No live use metered in the period."), ())
    failures: list[tuple[str, str]] = []
    for row in rows:
        limit = hours_per_day(row.grant)
        if limit is not None and row.milliseconds > limit * 3_600_000:
            failures.append(
                (
                    f"grant:{row.grant.public_id}",
                    _("%(day)s: %(hours)s h live under a licence of %(limit)s h a day")
                    % {"day": row.day, "hours": f"{row.milliseconds / 3_600_000:.2f}", "limit": limit},
                )
            )
    return _outcome(
        failures,
        [f"grant:{row.grant.public_id}" for row in rows],
        _("%(n)s licence day(s) metered, each within its hours per day.") % {"n": len(rows)},
    )


def eu_interaction_disclosure(stream: StreamFacts) -> Outcome:
    """EU AI Act 50(1): people interacting with the clone are told it is an AI, from the first segment on (the spoken
    disclosure) and throughout (the label on every segment; a human-looking avatar cannot rely on "obvious")."""
    for part in (spoken_disclosure(stream), label_persistent(stream)):
        if part.result != PASS:
            return part
    return Outcome(PASS, _("Told by voice at the start and by the label throughout."), (stream.segments[0].ref,))


def pia_approved(stream: StreamFacts) -> Outcome:
    """The influencer's impact assessment (PIPL Arts. 55-56), approved by staff before the stream began and covering
    its purpose and the avatar's modalities: the same question the consent gate asks before every segment."""
    from compliance.assessments import covering_assessment

    job = stream.job
    start = stream.start
    if start is None:
        return Outcome(FAIL, _("The stream never started: nothing dates the processing."), (f"stream:{job.stream_id}",))
    modalities = list(job.avatar.modalities)
    found = covering_assessment(
        influencer_id=job.avatar.influencer_id, purpose=job.purpose, modalities=modalities, at=start
    )
    if found is None or found.approved_at is None:
        return Outcome(
            FAIL,
            _(
                "No impact assessment of the influencer covering %(purpose)s and %(modalities)s was approved before "
                "the stream began."
            )
            % {"purpose": job.purpose, "modalities": ", ".join(modalities)},
            (f"stream:{job.stream_id}",),
        )
    return Outcome(
        PASS,
        _(
            "The influencer's assessment was approved on %(day)s, before the stream, and covers its purpose and "
            "modalities."
        )
        % {"day": f"{found.approved_at:%Y-%m-%d}"},
        (f"pia:{found.public_id}",),
    )


StreamCheck = Callable[[StreamFacts], Outcome]
OrganisationCheck = Callable[[OrganisationFacts], Outcome]

STREAM_CHECKS: dict[str, StreamCheck] = {
    check.__name__: check
    for check in (
        label_text_elements,
        aigc_metadata,
        label_at_start,
        label_position,
        label_height,
        label_duration,
        label_persistent,
        spoken_disclosure,
        eu_disclosure,
        machine_readable_marks,
        c2pa_chain,
        recording_kept,
        consent_at_every_segment,
        consent_covers_use,
        consent_covers_voice,
        influencer_adult,
        influencer_real_name,
        script_approved,
        eu_interaction_disclosure,
        excluded_products,
        pia_approved,
    )
}
ORGANISATION_CHECKS: dict[str, OrganisationCheck] = {
    check.__name__: check
    for check in (
        virtual_anchor_registered,
        operator_reverified_at_go_live,
        operator_presence,
        licence_hours,
    )
}
CHECKS = frozenset(STREAM_CHECKS) | frozenset(ORGANISATION_CHECKS)

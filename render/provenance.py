"""A published segment's provenance for the brand's pages, and the "verify" action: the stream verifier
(`render.engine.verify_stream`, the same check as `python -m render.engine.verify_stream`) run over the job's
stored playlist with the platform's C2PA trust anchor, plus the segment's ledger entry recomputed, told as
sentences in the reader's language.

The verifier's problems carry stable codes; their English messages are for the command line, so the pages say each
problem in the reader's language by its code (PROBLEM_SENTENCES) and keep the English detail only as a fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import LedgerEvent
from audit.verify import compute_event_hash, format_timestamp
from render.engine.verify_stream import Problem, SegmentCheck, StreamVerification, verify_stream
from render.models import RenderJob, Segment
from render.publisher import segment_storage

# By the part of the code after the dot (init.tampered and segment.tampered read the same, about their file).
PROBLEM_SENTENCES = {
    "tampered": gettext_lazy("%(file)s was altered after signing: its bytes no longer match the signed hash."),
    "invalid": gettext_lazy("%(file)s has a C2PA manifest that does not validate."),
    "untrusted": gettext_lazy("%(file)s is signed by a certificate that does not chain to Veracast's trust anchor."),
    "unbound": gettext_lazy("%(file)s is not bound to its bytes or to the stream's init segment."),
    "not_ai_declared": gettext_lazy("%(file)s does not declare itself AI-generated in its C2PA manifest."),
    "unsigned": gettext_lazy("%(file)s carries no C2PA manifest."),
    "missing": gettext_lazy("%(file)s is missing."),
    "corrupt": gettext_lazy("%(file)s cannot be read as fragmented MP4."),
    "unreadable": gettext_lazy("The playlist cannot be read."),
    "invalid_playlist": gettext_lazy("The playlist is not valid."),
    "unsupported": gettext_lazy("The playlist uses a feature the verifier does not support."),
    "aigc_missing": gettext_lazy("The init segment carries no AIGC label."),
    "aigc_invalid": gettext_lazy("The init segment's AIGC label does not meet GB 45438."),
    "aigc_mismatch": gettext_lazy("The init segment's AIGC label differs from the one in its C2PA manifest."),
    "has_media": gettext_lazy("The init segment holds media data."),
    "swapped": gettext_lazy("%(file)s belongs to another stream or rendering."),
    "chain_broken": gettext_lazy("%(file)s was not signed after the segment before it: the chain is broken."),
    "consent_mismatch": gettext_lazy("%(file)s names another consent grant than the init segment."),
    "dropped": gettext_lazy("A segment before %(file)s is missing (dropped from the stream)."),
    "reordered": gettext_lazy("%(file)s is out of order."),
    "duplicated": gettext_lazy("%(file)s repeats another segment."),
    "inserted": gettext_lazy("%(file)s was inserted: it belongs to no place in the chain."),
    "not_live": gettext_lazy("%(file)s is not signed as a live segment."),
}


@dataclass(frozen=True)
class SegmentVerdict:
    """What the verify action found: `ok` only when the stream, this segment and its ledger entry all check out."""

    segment: Segment
    ok: bool
    sentences: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def problem_sentence(problem: Problem) -> str:
    kind = problem.code.partition(".")[2]
    if problem.code == "playlist.invalid":
        kind = "invalid_playlist"
    template = PROBLEM_SENTENCES.get(kind)
    if template is None:
        return _("The verifier found a problem: %(detail)s") % {"detail": problem.message}
    return str(template) % {"file": problem.uri or _("the playlist")}


def verify_job_stream(job: RenderJob) -> StreamVerification:
    """The stream verifier over the job's stored playlist (any storage backend: files are read through it)."""
    storage = segment_storage()

    def fetch(name: str) -> bytes:
        with storage.open(name, "rb") as handle:
            return bytes(handle.read())

    anchor = Path(settings.C2PA_TRUST_ANCHOR_PATH).read_bytes()
    return verify_stream(job.playlist_storage_name, anchor, fetch=fetch)


def verify_segment(segment: Segment) -> SegmentVerdict:
    """Run the stream verifier and the ledger check, and say what they found about this segment."""
    job = segment.job
    if not job.playlist_storage_name:
        return SegmentVerdict(segment, False, problems=[_("Nothing of this stream is published yet.")])
    result = verify_job_stream(job)
    sentences: list[str] = []
    problems = [problem_sentence(p) for p in result.problems]
    check = next((c for c in result.segments if c.uri == segment.uri), None)
    if check is None:
        problems.append(_("The playlist does not list segment %(n)s.") % {"n": segment.sequence})
    else:
        sentences.extend(_segment_sentences(segment, check, result))
        if check.sha256 and check.sha256 != segment.sha256:
            problems.append(_("The stored segment's bytes differ from the ones published."))
    if result.ok:
        sentences.insert(
            0,
            _(
                "The whole stream verifies: every C2PA manifest is signed by a certificate that chains to Veracast's "
                "trust anchor, every file's bytes match their signed hash, and the %(count)s segments form one "
                "unbroken chain from the init segment."
            )
            % {"count": len(result.segments)},
        )
    ledger_ok, ledger_sentence = _ledger_sentence(segment)
    (sentences if ledger_ok else problems).append(ledger_sentence)
    return SegmentVerdict(segment, ok=not problems, sentences=sentences, problems=problems)


def _segment_sentences(segment: Segment, check: SegmentCheck, result: StreamVerification) -> list[str]:
    sentences = []
    if check.state == "Trusted" and not check.failures:
        sentences.append(
            _(
                "Segment %(n)s: its C2PA manifest %(manifest)s is signed by a trusted certificate and bound to "
                "its bytes."
            )
            % {"n": segment.sequence, "manifest": check.manifest_id or "—"}
        )
    if check.previous_manifest_id:
        before = (
            _("the init segment")
            if result.init is not None and check.previous_manifest_id == result.init.manifest_id
            else _("segment %(n)s") % {"n": segment.sequence - 1}
        )
        sentences.append(
            _("It follows %(before)s in the chain (previous manifest %(manifest)s).")
            % {"before": before, "manifest": check.previous_manifest_id}
        )
    if segment.watermark_id:
        sentences.append(
            _("It carries the invisible watermark %(id)s, which names this stream and segment.")
            % {"id": segment.watermark_id}
        )
    return sentences


def _ledger_sentence(segment: Segment) -> tuple[bool, str]:
    """Recompute the segment's `segment.published` event hash and compare the file hash it recorded."""
    event = LedgerEvent.objects.filter(pk=segment.ledger_event_id).first() if segment.ledger_event_id else None
    if event is None:
        return False, _("No ledger entry is recorded for this segment.")
    recomputed = compute_event_hash(
        subject=event.subject,
        seq=event.seq,
        kind=event.kind,
        actor=event.actor,
        payload_json=event.payload,
        prev_hash=event.prev_hash,
        recorded_at=format_timestamp(event.recorded_at),
    )
    if recomputed != event.hash:
        return False, _("Ledger entry %(id)s was altered: its hash no longer matches its content.") % {"id": event.pk}
    if event.payload_data.get("sha256") != segment.sha256:
        return False, _("Ledger entry %(id)s records other bytes than this segment's.") % {"id": event.pk}
    return True, _(
        "Ledger entry %(id)s (%(subject)s, number %(seq)s) records this segment's SHA-256, and its hash recomputes."
    ) % {"id": event.pk, "subject": event.subject, "seq": event.seq}

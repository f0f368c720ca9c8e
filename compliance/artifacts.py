"""The artifact check: re-examine a stream's stored segments instead of believing the ledger's claims about them.

For one render job it samples a frame every `interval_seconds` (default 10 s, COMPLIANCE_SAMPLE_SECONDS) across the
stored segments and, on each, looks for the corner label's plate and measures its first line's height in pixels
(render/engine/artifact_probe.py); reads the label's text back with OCR; reads the AIGC metadata back from the init
segment with ffprobe; runs the stream verifier (C2PA signatures, chain and init binding) over the stored playlist;
decodes the watermark of every sampled segment and compares the stream code and sequence it carries with the ledger's
`watermark_id`. Fail closed: a file that is missing or cannot be decoded, a frame without the plate, an unreadable
label, absent metadata, a verifier problem or a watermark not found are each a fail with the evidence.

It is slow (video decoding, OCR, watermark detection), so it runs in a Celery task (compliance.tasks) and stores a dated
`ArtifactCheck`; the evaluator and the dashboard read the latest finished one. Results are keyed by what they measured
(`label_presence`, `label_height`, `label_text`, `aigc_metadata`, `c2pa`, `watermark`), each {result, detail,
evidence}; `samples` lists what every sampled frame showed, `timing` where the time went."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import LedgerEvent
from audit.services import record_event
from common.api import DomainError
from compliance.models import ArtifactCheck
from compliance.recording import rehash_recording
from render.models import RenderJob, Segment

PASS, FAIL = "pass", "fail"
MIN_HEIGHT_FRACTION = 0.05  # GB 45438 §5.4 f)
KEYS = ("label_presence", "label_height", "label_text", "aigc_metadata", "c2pa", "watermark", "recording")


def sample_seconds() -> float:
    """COMPLIANCE_SAMPLE_SECONDS: one sampled frame per this many seconds of stream (default 10); > 0 or it fails."""
    value = float(getattr(settings, "COMPLIANCE_SAMPLE_SECONDS", 10.0))
    if not value > 0:
        raise ValueError(f"COMPLIANCE_SAMPLE_SECONDS must be positive, not {value!r}")
    return value


def _every(name: str) -> int:
    """COMPLIANCE_OCR_EVERY / COMPLIANCE_WATERMARK_EVERY: OCR / decode the watermark on every n-th sample (default 1:
    all of them; a positive integer or it fails). The label's plate and height are measured on every sample."""
    value = getattr(settings, name, 1)
    if not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


@dataclass(frozen=True)
class Sample:
    sequence: int
    offset: float  # seconds into the segment


def plan_samples(segments: list[tuple[int, float]], interval: float) -> list[Sample]:
    """One sample per `interval` seconds of the stream's timeline: (sequence, duration) in order -> where to look."""
    samples: list[Sample] = []
    start = 0.0
    next_at = 0.0
    for sequence, duration in segments:
        end = start + max(duration, 0.0)
        while next_at < end - 1e-6:
            samples.append(Sample(sequence, next_at - start))
            next_at += interval
        start = end
    return samples


def _part(result: str, detail: str, evidence: list[str]) -> dict[str, Any]:
    return {"result": result, "detail": detail, "evidence": list(dict.fromkeys(evidence))[:8]}


def request_artifact_check(*, job: RenderJob, actor: User | None) -> ArtifactCheck:
    """Queue a re-check of the job's artifacts (one at a time per job: a queued or running one is returned)."""
    if not job.segments.exists():
        raise DomainError("This stream has no stored segments to examine.", code="no_segments", status_code=409)
    running = job.artifact_checks.filter(status__in=[ArtifactCheck.Status.QUEUED, ArtifactCheck.Status.RUNNING]).first()
    if running is not None:
        return running
    check = ArtifactCheck.objects.create(
        organisation=job.brand, job=job, requested_by=actor, interval_seconds=sample_seconds()
    )
    from compliance.tasks import artifact_check_task

    transaction.on_commit(lambda: artifact_check_task.delay(check.pk))
    return check


def latest_artifact_check(job: RenderJob) -> ArtifactCheck | None:
    return job.artifact_checks.filter(status=ArtifactCheck.Status.DONE).order_by("-finished_at", "-id").first()


def run_artifact_check(check_id: int, *, progress: Callable[[int, int], None] | None = None) -> ArtifactCheck:
    """Examine the job's stored artifacts and store the dated result (the task's body)."""
    check = ArtifactCheck.objects.select_related("job").get(pk=check_id)
    check.status = ArtifactCheck.Status.RUNNING
    check.save(update_fields=["status"])
    try:
        results = _examine(check)
    except Exception as exc:  # the check itself broke: record it (a failed check is no evidence of a pass)
        check.status = ArtifactCheck.Status.FAILED
        check.error = f"{type(exc).__name__}: {exc}"
        check.finished_at = timezone.now()
        check.save(update_fields=["status", "error", "finished_at"])
        raise
    check.results = results
    check.status = ArtifactCheck.Status.DONE
    check.finished_at = timezone.now()
    check.save(update_fields=["results", "status", "finished_at", "progress_done", "progress_total"])
    summary = {key: results[key]["result"] for key in KEYS}
    record_event(
        kind="compliance.artifact_checked",
        subject=check.job.subject,
        payload={
            "check": str(check.public_id),
            "interval_seconds": check.interval_seconds,
            "samples": len(results["samples"]),
            "results": summary,
        },
        actor="system",
        organisation=check.organisation,
    )
    return check


def _examine(check: ArtifactCheck) -> dict[str, Any]:
    from render.engine import artifact_probe as probe
    from render.engine.watermark import SEQ_BITS, WatermarkError, detect_clip, load_key, stream_code_for
    from render.keys import watermark_key_path
    from render.provenance import verify_job_stream
    from render.publisher import segment_storage

    job = check.job
    storage = segment_storage()
    timing = dict.fromkeys(("read", "decode", "label", "ocr", "aigc", "c2pa", "watermark"), 0.0)

    def read(name: str) -> bytes | None:
        began = time.perf_counter()
        try:
            with storage.open(name, "rb") as handle:
                return bytes(handle.read())
        except OSError:
            return None
        finally:
            timing["read"] += time.perf_counter() - began

    claims = _claims(job)
    rows = list(
        Segment.objects.filter(job=job).order_by("sequence").values_list("sequence", "duration", "storage_name")
    )
    names = {seq: name for seq, _, name in rows}
    # The timeline is the ledger's (what was aired), so a segment whose file is gone is still sampled -- and fails.
    timeline = sorted((seq, float(c["duration"] or 2.0)) for seq, c in claims.items())
    samples = plan_samples(timeline, check.interval_seconds)
    check.progress_total = len(samples) + 2
    check.save(update_fields=["progress_total"])
    ocr_every, wm_every = _every("COMPLIANCE_OCR_EVERY"), _every("COMPLIANCE_WATERMARK_EVERY")

    presence: list[tuple[str, str]] = []
    height: list[tuple[str, str]] = []
    text: list[tuple[str, str]] = []
    marks: list[tuple[str, str]] = []
    seen: list[str] = []
    heights: list[float] = []
    ocr_done = wm_done = 0
    records: list[dict[str, Any]] = []
    init = read(job.init_storage_name) if job.init_storage_name else None
    key = load_key(watermark_key_path())
    code = stream_code_for(job.stream_id)
    by_segment: dict[int, list[Sample]] = {}
    for sample in samples:
        by_segment.setdefault(sample.sequence, []).append(sample)
    index = 0
    for segment_index, (sequence, wanted) in enumerate(by_segment.items()):
        claim = claims[sequence]
        ref = f"ledger:{claim['id']}"
        seen.append(ref)
        data = read(names[sequence]) if sequence in names else None
        label = claim.get("label") or {}
        if init is None or data is None:
            for s in wanted:
                presence.append((ref, f"segment {sequence}: the stored file is missing, so no frame can be examined"))
                records.append({"sequence": sequence, "t": s.offset, "present": False, "error": "missing"})
            index += len(wanted)
            continue
        began = time.perf_counter()
        try:
            frames = probe.decode_frames(init, data, [s.offset for s in wanted])
        except probe.ProbeError as exc:
            frames = []
            presence.append((ref, f"segment {sequence}: {exc}"))
        timing["decode"] += time.perf_counter() - began
        for offset, frame in frames:
            frame_h, frame_w = frame.shape[:2]
            short = min(frame_w, frame_h)
            box = label.get("box") or [0, 0, frame_w, frame_h]  # no claimed box: search the whole frame
            began = time.perf_counter()
            measure = probe.measure_label(frame, box)
            timing["label"] += time.perf_counter() - began
            record: dict[str, Any] = {
                "sequence": sequence,
                "t": round(offset, 3),
                "present": measure.present,
                "text_height_px": measure.text_height_px,
            }
            if not measure.present:
                presence.append((ref, f"segment {sequence} at {offset:.1f} s: {measure.detail}"))
            else:
                fraction = measure.text_height_px / short
                heights.append(fraction)
                if fraction + 1e-9 < MIN_HEIGHT_FRACTION:
                    height.append(
                        (
                            ref,
                            f"segment {sequence} at {offset:.1f} s: the label's text measures "
                            f"{measure.text_height_px} px, {fraction:.1%} of the shortest side (< 5 %)",
                        )
                    )
                if index % ocr_every == 0 and measure.plate_box is not None:
                    began = time.perf_counter()
                    try:
                        read_back = probe.ocr(frame, measure.plate_box)
                    except probe.ProbeError as exc:
                        read_back = ""
                        text.append((ref, f"segment {sequence}: {exc}"))
                    timing["ocr"] += time.perf_counter() - began
                    ocr_done += 1
                    record["ocr"] = read_back
                    if not probe.ocr_has_elements(read_back):
                        text.append(
                            (
                                ref,
                                f"segment {sequence} at {offset:.1f} s: OCR reads {read_back!r}, without "
                                "both the AI and the generation element",
                            )
                        )
            records.append(record)
            index += 1
        if frames and segment_index % wm_every == 0:
            began = time.perf_counter()
            marks.extend(_watermark(init, data, key, code, sequence, claim, ref, detect_clip, WatermarkError, SEQ_BITS))
            timing["watermark"] += time.perf_counter() - began
            wm_done += 1
        check.progress_done = index
        check.save(update_fields=["progress_done"])

    results: dict[str, Any] = {}
    n = len(samples)
    if not samples:
        nothing = "No segment.published event: no frame can be sampled."
        for key_name in ("label_presence", "label_height", "label_text", "watermark"):
            results[key_name] = _part(FAIL, nothing, [f"ledger:{job.subject}"])
    else:
        results["label_presence"] = _fail_or(
            presence, seen, f"The label's plate is on all {n} sampled frames (one per {check.interval_seconds:g} s)."
        )
        lowest = f"{min(heights):.1%}" if heights else "—"
        results["label_height"] = _fail_or(
            height + presence[:1],
            seen,
            f"The label's text measures at least 5 % of the shortest side on every sampled frame (lowest {lowest}).",
        )
        results["label_text"] = (
            _fail_or(text, seen, f"OCR reads the AI and the generation element on {ocr_done} sampled frames.")
            if ocr_done or text
            else _part(FAIL, "No frame could be read by OCR.", seen[:1])
        )
        results["watermark"] = (
            _fail_or(
                marks,
                seen,
                f"The watermark decoded from {wm_done} sampled segments names this stream and "
                "the segment the ledger records.",
            )
            if wm_done
            else _part(FAIL, "No segment could be examined for the watermark.", seen[:1])
        )

    began = time.perf_counter()
    if init is None:
        results["aigc_metadata"] = _part(FAIL, "The init segment is not stored: its metadata cannot be read.", [])
    else:
        try:
            aigc = probe.read_aigc(init)
        except probe.ProbeError as exc:
            results["aigc_metadata"] = _part(FAIL, str(exc), [f"ledger:{job.subject}"])
        else:
            if aigc.get("ProduceID") != job.stream_id:
                results["aigc_metadata"] = _part(
                    FAIL,
                    f"The AIGC ProduceID {aigc.get('ProduceID')!r} is not this stream's id.",
                    [f"ledger:{job.subject}"],
                )
            else:
                results["aigc_metadata"] = _part(
                    PASS,
                    f"ffprobe reads one AIGC label (Label {aigc.get('Label')}, ProduceID = the stream id).",
                    [f"ledger:{job.subject}"],
                )
    timing["aigc"] += time.perf_counter() - began
    check.progress_done = len(samples) + 1
    check.save(update_fields=["progress_done"])

    began = time.perf_counter()
    if not job.playlist_storage_name:
        results["c2pa"] = _part(FAIL, "No playlist is stored: the C2PA chain cannot be verified.", [])
    else:
        verification = verify_job_stream(job)
        if verification.ok:
            results["c2pa"] = _part(
                PASS,
                f"The stream verifier checks {len(verification.segments)} segments: "
                "signatures trusted, bytes bound, one unbroken chain from the init segment.",
                [f"ledger:{job.subject}"],
            )
        else:
            first = verification.problems[0]
            results["c2pa"] = _part(
                FAIL,
                f"The stream verifier: {first.message} ({first.code}; {len(verification.problems)} problem(s)).",
                [f"ledger:{job.subject}"],
            )
    timing["c2pa"] += time.perf_counter() - began
    # Every stored file re-hashed here, not at evaluation: the dashboard reads this dated result (compliance.recording).
    began = time.perf_counter()
    results["recording"] = rehash_recording(job)
    timing["rehash"] = time.perf_counter() - began
    check.progress_done = len(samples) + 2
    results["samples"] = records
    results["timing"] = {k: round(v, 3) for k, v in timing.items()}
    return results


def _claims(job: RenderJob) -> dict[int, dict[str, Any]]:
    """sequence -> what the ledger claims about the segment (event id, duration, watermark id, label)."""
    out: dict[int, dict[str, Any]] = {}
    events = LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").order_by("seq")
    for event in events.iterator(chunk_size=2000):
        payload = event.payload_data
        try:
            sequence = int(payload.get("sequence", -1))
        except (TypeError, ValueError):
            continue
        out[sequence] = {
            "id": event.pk,
            "duration": payload.get("duration"),
            "watermark_id": str(payload.get("watermark_id") or ""),
            "label": payload.get("label_parameters") if isinstance(payload.get("label_parameters"), dict) else {},
        }
    return out


def _watermark(
    init: bytes,
    data: bytes,
    key: bytes,
    code: int,
    sequence: int,
    claim: dict[str, Any],
    ref: str,
    detect_clip: Any,
    watermark_error: type[Exception],
    seq_bits: int,
) -> list[tuple[str, str]]:
    """Decode the segment's watermark; a problem sentence when it is absent or names another stream or segment."""
    import tempfile
    from pathlib import Path

    claimed = claim["watermark_id"]
    expected = f"{(code << seq_bits) | sequence:016x}"
    if claimed != expected:
        return [(ref, f"segment {sequence}: the ledger's watermark id {claimed!r} is not this stream's and segment's")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "segment.mp4"
        path.write_bytes(init + data)
        try:
            found = detect_clip(path, key)
        except watermark_error as exc:
            return [(ref, f"segment {sequence}: the watermark cannot be decoded: {exc}")]
    if not found.found or found.stream_code is None:
        return [(ref, f"segment {sequence}: no watermark found in the pixels")]
    if found.stream_code != code:
        return [
            (
                ref,
                f"segment {sequence}: the watermark names stream code {found.stream_code:010x}, the ledger "
                f"this stream ({code:010x})",
            )
        ]
    if found.sequences and sequence not in found.sequences:
        return [(ref, f"segment {sequence}: the watermark names segment(s) {list(found.sequences)}")]
    return []


def _fail_or(failures: list[tuple[str, str]], seen: list[str], ok: str) -> dict[str, Any]:
    if failures:
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        return _part(FAIL, failures[0][1] + more, [ref for ref, _ in failures])
    return _part(PASS, ok, seen[:1] + seen[-1:])

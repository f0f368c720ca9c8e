"""Helpers of the compliance tests (not a test module): a stream as the publisher leaves it (stored segment files,
segment.published events with the label, consent, manifest chain and script lines, Segment rows), under a real
consent grant (tests.render.helpers.grant_for), with an approved script version (iris's approved PIA comes with
the personas)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

LABEL = {
    "text": "AI生成",
    "english": "AI-generated",
    "corner": "top-right",
    "frame": [720, 1280],
    "text_height_px": 40,
    "text_height_fraction": 0.0556,
    "box": [560, 24, 140, 56],
    "contrast_ratio": 12.6,
    "opening_text": "本直播内容由AI生成",
    "opening_english": "This stream is AI-generated",
    "opening_seconds": 3.0,
}


def _approved_version(personas: dict[str, Any], product_ids: tuple[str, ...] = ()) -> Any:
    from streaming.models import Script, ScriptApproval, ScriptVersion

    script = Script.objects.create(
        organisation=personas["acme"], title="Spring sale", language="zh", created_by=personas["alice"]
    )
    version = ScriptVersion.objects.create(
        script=script,
        number=1,
        lines=[{"id": "l1", "text": "大家好", "product_ids": list(product_ids)}],
        canonical="{}",
        sha256="a" * 64,
        rules_version="test",
        created_by=personas["alice"],
    )
    ScriptApproval.objects.create(
        version=version,
        reviewer=personas["alice"],
        document="{}",
        document_sha256="b" * 64,
        credential_id="cred",
        assertion={},
    )
    return version


def stream(
    personas: dict[str, Any],
    *,
    segments: int = 3,
    label: dict[str, Any] | None = None,
    skip: tuple[int, ...] = (),
    with_assessment: bool = True,
    voice: bool = False,
    examined: bool = True,
    disclosure: bool = True,
    line: str = "l1",
    product_ids: tuple[str, ...] = (),
    grant_kwargs: dict[str, Any] | None = None,
) -> Any:
    """A finished render job of iris for Acme on Douyin, `segments` long (sequence numbers in `skip` missing)."""
    from django.utils import timezone

    from audit.services import record_event
    from render.models import Avatar, RenderJob, Segment
    from render.publisher import store_file
    from tests.render.helpers import grant_for

    if not with_assessment:  # the personas give iris an approved assessment (tests/pia.py); take it away
        from compliance.models import ImpactAssessment

        ImpactAssessment.objects.filter(influencer=personas["iris"].influencer).delete()
    grant = grant_for(personas, **(grant_kwargs or {}))
    version = _approved_version(personas, product_ids)
    avatar = Avatar.objects.create(
        influencer=personas["iris"].influencer,
        brand=personas["acme"],
        grant=grant,
        purpose="livestream_ecommerce",
        platform="douyin",
        voice=voice,
        status=Avatar.Status.READY,
    )
    start = timezone.now() + timedelta(seconds=1)
    job = RenderJob(
        avatar=avatar,
        brand=personas["acme"],
        grant=grant,
        purpose="livestream_ecommerce",
        platform="douyin",
        settings={"width": 720, "height": 1280, "fps": 25},
        status=RenderJob.Status.DONE,
        script_approval_id=str(version.approval.public_id),
        script_version_sha256=version.sha256,
        script_version_id=str(version.public_id),
        segment_count=segments,
        started_at=start,
        finished_at=start + timedelta(seconds=2 * segments),
    )
    job.stream_id = str(job.public_id)
    job.init_storage_name = store_file(f"{job.stream_id}/init.mp4", b"init segment")
    job.save()
    previous = None
    for sequence in range(segments):
        if sequence in skip:  # lost after signing: the next segment still names its manifest
            previous = f"urn:c2pa:{job.stream_id}:{sequence}"
            continue
        data = f"segment {sequence} of {job.stream_id}".encode()
        digest = hashlib.sha256(data).hexdigest()
        stored = store_file(f"{job.stream_id}/seg-{sequence}.m4s", data)
        manifest = f"urn:c2pa:{job.stream_id}:{sequence}"
        at = start + timedelta(seconds=2 * sequence)
        event = record_event(
            kind="segment.published",
            subject=job.subject,
            payload={
                "sequence": sequence,
                "uri": f"seg-{sequence}.m4s",
                "sha256": digest,
                "bytes": len(data),
                "duration": 2.0,
                "wall_clock_start": at.isoformat().replace("+00:00", "Z"),
                "manifest_id": manifest,
                "previous_manifest_id": previous,
                "watermark_id": "00ff00ff00ff00ff",
                "label_parameters": dict(label or LABEL),
                "consent_grant_id": str(grant.public_id),
                "script_line_ids": (["ai-disclosure", line] if sequence == 0 and disclosure else [line]),
            },
            actor="system",
            organisation=personas["acme"],
        )
        previous = manifest
        Segment.objects.create(
            job=job,
            sequence=sequence,
            storage_name=stored,
            uri=f"seg-{sequence}.m4s",
            sha256=digest,
            size=len(data),
            duration=2.0,
            wall_clock_start=at,
            manifest_id=manifest,
            previous_manifest_id=previous or "",
            watermark_id="00ff00ff00ff00ff",
            label=dict(label or LABEL),
            grant=grant,
            ledger_event_id=event.pk,
        )
    if examined:
        examined_clean(job)
    return job


def examined_clean(job: Any) -> Any:
    """A finished artifact check that found the files as the ledger says (these test segments are not video, so the
        measurement is recorded as its result; tests/compliance/artifacts/ measure real rendered segments). The files
    are re-hashed for real."""
    from django.utils import timezone

    from compliance.models import ArtifactCheck
    from compliance.recording import rehash_recording

    part = {"result": "pass", "detail": "measured on the stored files", "evidence": [f"ledger:{job.subject}"]}
    keys = ("label_presence", "label_height", "label_text", "aigc_metadata", "c2pa", "watermark")
    return ArtifactCheck.objects.create(
        organisation=job.brand,
        job=job,
        status=ArtifactCheck.Status.DONE,
        # The recording re-hash is real (the files are stored): it is what the task stores for it.
        results={**dict.fromkeys(keys, part), "recording": rehash_recording(job), "samples": [], "timing": {}},
        finished_at=timezone.now(),
    )


def results(job: Any) -> dict[str, Any]:
    """rule id -> Outcome of the stream's own evaluation."""
    from compliance.evaluator import evaluate

    evaluation = evaluate(organisation=job.brand, stream_id=job.stream_id)
    return {r.rule.id: r.outcome for r in evaluation.results}

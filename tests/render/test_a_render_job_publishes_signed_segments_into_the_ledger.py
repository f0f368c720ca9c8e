"""A render job turns approved script lines into stored, C2PA-signed segments, each recorded by one
`segment.published` event (hash, duration, sequence, manifest id, watermark id, label parameters, consent grant id,
script line ids, the spoken disclosure's included, wall-clock start) under the job's own `render_job:` subject;
the ledger verifies, the playlists end and add up to the job's duration, and the files are served to the brand only."""

from __future__ import annotations

import functools
import hashlib
import operator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from audit.event_kinds import EVENT_KINDS
from audit.models import LedgerEvent
from audit.selectors import verify_stored_ledger
from render.engine.segment import DISCLOSURE_LINE_ID, format_program_date_time
from render.models import RenderJob, Segment
from render.services import segment_storage, submit_render_job
from render.tasks import render_job_task
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script


@pytest.mark.slow
def test_a_job_renders_every_segment_and_records_each_in_the_ledger(personas: dict[str, Any]) -> None:
    from render.engine.c2pa_sign import read_segment, verify_segment_chain

    avatar = ready_avatar(personas)
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, SHORT_LINES),
    )

    result = render_job_task(job.pk)

    job.refresh_from_db()
    assert result["status"] == "done", (job.error_code, job.error_message)
    segments = list(Segment.objects.filter(job=job).order_by("sequence"))
    assert job.segment_count
    assert len(segments) == job.segment_count
    assert [s.sequence for s in segments] == list(range(job.segment_count))
    storage = segment_storage()
    events = list(LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").order_by("seq"))
    assert [e.payload_data["sequence"] for e in events] == list(range(job.segment_count))
    reports = []
    for segment, event in zip(segments, events, strict=True):
        with storage.open(segment.storage_name, "rb") as handle:
            data = handle.read()
        payload = event.payload_data
        assert hashlib.sha256(data).hexdigest() == segment.sha256 == payload["sha256"]
        assert payload["manifest_id"] == segment.manifest_id
        assert payload["consent_grant_id"] == str(avatar.grant_used.public_id)
        assert payload["watermark_id"] == segment.watermark_id
        assert len(segment.watermark_id) == 16
        assert "AI生成" in payload["label_parameters"]["text"]
        assert payload["label_parameters"]["text_height_fraction"] >= 0.05
        assert payload["duration"] == pytest.approx(2.0, abs=0.05)
        assert segment.ledger_event_id == event.pk
        report = read_segment(data, trust_anchor_path=settings.C2PA_TRUST_ANCHOR_PATH)
        assert report.state == "Trusted", report.failures
        reports.append(report)
    assert verify_segment_chain(reports, stream_id=job.stream_id) == []
    spoken = functools.reduce(operator.iadd, (s.script_line_ids for s in segments), [])
    assert spoken[0] == DISCLOSURE_LINE_ID  # every spoken line has an id, the opening AI disclosure too
    assert "hello" in spoken
    assert {s.grant_id for s in segments} == {job.grant_id} == {avatar.grant_used.pk}  # one name for the grant
    assert job.subject == f"render_job:{job.public_id}"
    assert job.duration_s == sum(s.duration for s in segments) == 2.0 * job.segment_count
    assert [e.payload_data["wall_clock_start"] for e in events] == [
        format_program_date_time(job.started_at + timedelta(seconds=2 * n)) for n in range(job.segment_count)
    ]
    kinds = list(LedgerEvent.objects.filter(subject=job.subject).order_by("seq").values_list("kind", flat=True))
    assert kinds[:2] == ["render_job.submitted", "render_job.started"]
    assert kinds[-1] == "render_job.ended"
    recorded = set(LedgerEvent.objects.values_list("kind", flat=True))
    assert recorded <= set(EVENT_KINDS), recorded - set(EVENT_KINDS)  # the run-time side of the catalogue test
    for event in events:
        # Every catalogued field but the two only a live stream's end slate carries (render/slates.py).
        assert set(event.payload_data) == set(EVENT_KINDS["segment.published"].payload) - {"slate", "reason"}
    assert verify_stored_ledger().ok

    with storage.open(job.playlist_storage_name, "rb") as handle:
        playlist = handle.read().decode()
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    assert playlist.count(".m4s") == job.segment_count
    assert playlist.count("#EXT-X-PROGRAM-DATE-TIME:") == job.segment_count

    # A redelivered task finds the job done and publishes nothing more.
    assert render_job_task(job.pk)["status"] == "done"
    assert Segment.objects.filter(job=job).count() == job.segment_count

    member, outsider = APIClient(), APIClient()
    member.force_authenticate(personas["victor"])
    outsider.force_authenticate(personas["charlie"])
    base = f"/api/v1/render-jobs/{job.public_id}"
    listed = member.get(f"{base}/segments/").json()
    assert [s["sequence"] for s in listed] == list(range(job.segment_count))
    first = member.get(f"{base}/files/seg_000000.m4s")
    assert first.status_code == 200
    assert hashlib.sha256(b"".join(first.streaming_content)).hexdigest() == segments[0].sha256
    assert member.get(f"{base}/files/index.m3u8").status_code == 200
    variants = b"".join(member.get(f"{base}/files/master.m3u8").streaming_content).decode()
    assert 'CODECS="avc1.' in variants
    assert "RESOLUTION=1280x720" in variants
    assert listed[0]["grant"] == str(avatar.grant_used.public_id)
    assert member.get(f"{base}/files/init.mp4").status_code == 200
    assert outsider.get(f"{base}/files/seg_000000.m4s").status_code == 404
    assert outsider.get(f"{base}/").status_code == 404
    assert RenderJob.objects.get(pk=job.pk).status == "done"

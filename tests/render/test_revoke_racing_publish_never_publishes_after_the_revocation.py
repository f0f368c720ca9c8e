"""Revoke racing publish: a segment's publishing transaction and the consent's revocation run at the same instant,
on separate database connections, many times. The publisher re-checks the grant under its row lock (the lock
revoke_consent takes), so the ledger never holds "revoked at T" and then "published at T+x": every
`segment.published` of the grant comes before its `consent.revoked`, by ledger position and by time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection

from audit.models import LedgerEvent
from render.engine.segment import SegmentRecord, SegmentResult
from render.models import Avatar, RenderJob, Segment
from render.publisher import record_segment
from tests.consent.helpers import active_grant, published_template, register_passkey, revoke_with_passkey

ROUNDS = 12


def _result(job: RenderJob, grant: Any) -> SegmentResult:
    data = b"\x00\x00\x00\x10ftypiso6" + job.stream_id.encode()
    record = SegmentRecord(
        stream_id=job.stream_id,
        sequence=0,
        uri="seg_000000.m4s",
        sha256="0" * 64,
        size=len(data),
        duration=2.0,
        start_s=0.0,
        wall_clock_start=datetime.now(UTC),
        video_frames=50,
        audio_samples=96_000,
        manifest_id=f"urn:uuid:{job.public_id}",
        previous_manifest_id=None,
        watermark_id="0123456789abcdef",
        label={"text": "AI生成"},
        consent_grant_id=str(grant.public_id),
        script_line_ids=("ai-disclosure",),
        disclosure=True,
        aigc="{}",
        plan_fingerprint="f",
        engine="viseme-warp",
        settings="720p25",
    )
    return SegmentResult(data, record.uri, record)


@pytest.mark.postgres
@pytest.mark.slow
def test_no_segment_is_published_after_the_revocation_commits(personas: dict[str, Any], transactional_db: Any) -> None:
    iris = personas["iris"]
    template = published_template(personas["sam"])
    authenticator = register_passkey(iris)
    avatar = Avatar.objects.create(
        influencer=iris.influencer, brand=personas["acme"], purpose="livestream_ecommerce", platform="douyin"
    )
    outcomes = {"published": 0, "stopped": 0}
    for round_ in range(ROUNDS):
        grant = active_grant(personas, template, authenticator)
        job = RenderJob.objects.create(
            avatar=avatar,
            brand=personas["acme"],
            grant=grant,
            purpose="livestream_ecommerce",
            platform="douyin",
            status=RenderJob.Status.RUNNING,
            stream_id=f"race-{round_}",
            settings={"width": 1280, "height": 720, "fps": 25},
        )
        # The publisher starts 0-200 ms late in some rounds, so the revocation sometimes commits first.
        status = _race(job, _result(job, grant), grant, authenticator, iris, delay_s=(round_ % 6) * 0.04)
        outcomes[status] += 1

        revoked = LedgerEvent.objects.get(subject=f"consent:{grant.public_id}", kind="consent.revoked")
        for event in LedgerEvent.objects.filter(subject=job.subject, kind="segment.published"):
            assert event.pk < revoked.pk, f"round {round_}: published after the revocation"
            assert event.recorded_at <= revoked.recorded_at
        grant.refresh_from_db()
        rows = Segment.objects.filter(job=job)
        assert all(s.created_at <= grant.revoked_at for s in rows)
        assert rows.count() == (1 if status == "published" else 0)
    assert sum(outcomes.values()) == ROUNDS, outcomes


@pytest.mark.postgres
def test_a_segment_rendered_before_the_revocation_is_not_published_after_it(personas: dict[str, Any]) -> None:
    iris = personas["iris"]
    authenticator = register_passkey(iris)
    grant = active_grant(personas, published_template(personas["sam"]), authenticator)
    avatar = Avatar.objects.create(
        influencer=iris.influencer, brand=personas["acme"], purpose="livestream_ecommerce", platform="douyin"
    )
    job = RenderJob.objects.create(
        avatar=avatar,
        brand=personas["acme"],
        grant=grant,
        purpose="livestream_ecommerce",
        platform="douyin",
        status=RenderJob.Status.RUNNING,
        stream_id="late",
        settings={"width": 1280, "height": 720, "fps": 25},
    )
    result = _result(job, grant)  # rendered while the consent held
    revoke_with_passkey(grant, authenticator, iris)
    assert record_segment(job=job, result=result, outputs=()).status == "stopped"
    job.refresh_from_db()
    assert job.status == RenderJob.Status.CANCELLED
    assert job.error_code == "no_consent_for_you"  # the brand hears the neutral answer ...
    refused = LedgerEvent.objects.filter(kind="consent.use_refused").latest("pk").payload_data
    assert refused["reason"] == "revoked"  # ... and the influencer's ledger the detail
    assert not Segment.objects.filter(job=job).exists()
    kinds = list(LedgerEvent.objects.filter(subject=job.subject).values_list("kind", flat=True))
    assert kinds == ["render_job.stopped"]


def _race(job: RenderJob, result: SegmentResult, grant: Any, authenticator: Any, user: Any, *, delay_s: float) -> str:
    """Publish and revoke at once, each on its own thread (so its own database connection); the publish outcome."""
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    published: list[str] = []

    def publish() -> None:
        try:
            start.wait()
            time.sleep(delay_s)
            published.append(record_segment(job=job, result=result, outputs=()).status)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def revoke() -> None:
        try:
            start.wait()
            revoke_with_passkey(grant, authenticator, user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish), threading.Thread(target=revoke)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return published[0]

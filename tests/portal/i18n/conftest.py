"""Fixtures of the i18n tests: one of every object a portal page can show (grants in several states, a refused use,
an avatar with a job, a product with its FAQ, invitations, a brand waiting for verification, a script with an
approved version whose findings were overridden and a later one, a reviewer, short videos done and failed, audit
exports done and failed, ledger events with and without a signed checkpoint, and a stream segment the clip check can
name), made with the real services (the short-video, export and segment rows directly: nothing is rendered), with keys
and storage under tmp_path."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from tests.data_dir import point_settings_at

# A well-formed Unified Social Credit Code (both check characters right) that belongs to nobody.
INITECH_USCC = "91110000802100433B"


@pytest.fixture
def portal_world(personas: dict[str, Any], settings: Any, tmp_path: Path) -> SimpleNamespace:
    from accounts.brands import submit_legal_entity
    from accounts.invitations import invite_member
    from accounts.services import create_organisation
    from audit.keys import init_keys
    from audit.models import AuditExport
    from audit.services import create_checkpoint, record_event
    from consent import broadcast, gate
    from consent.gate import BRAND_REFUSAL_CODE, ConsentDenied, authorize_use
    from render.models import Avatar, RenderJob, Segment, ShortVideo
    from streaming.catalog import create_faq_entry, create_product
    from streaming.scripts import create_script, save_script_version
    from tests.consent.helpers import (
        active_grant,
        draft_grant,
        published_template,
        register_passkey,
        sign_with_passkey,
        skip_statement,
    )
    from tests.streaming.scripts_factory import approve, make_reviewer

    keys = point_settings_at(settings, tmp_path / "data")
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost"]
    init_keys()
    settings.VAULT_MASTER_KEY = (keys / "vault-master.key").read_text().strip()
    gate.clear_cache()
    broadcast.reset_connections()

    iris, acme = personas["iris"], personas["acme"]
    template = published_template(personas["sam"])
    passkey = register_passkey(iris)
    grant = active_grant(personas, template, passkey)
    in_review = sign_with_passkey(skip_statement(draft_grant(personas, template), face="fail"), passkey, iris)
    draft = draft_grant(personas, template)
    # Consents with their statement and training sample in the vault: one waiting for review, one decided.
    from consent.services import review_grant
    from tests.consent.review_helpers import grant_waiting_for_review

    reviewable = grant_waiting_for_review(personas, template, passkey)
    reviewed = review_grant(
        grant=grant_waiting_for_review(personas, template, passkey),
        reviewer=personas["sam"],
        decision="reject",
        reason="Another person reads the statement.",
    )
    # A refused use, so the influencer's and staff's refusal tables show the gate's sentence.
    with contextlib.suppress(ConsentDenied):
        authorize_use(
            avatar=iris.influencer,
            brand=acme,
            purpose="short_video",
            platform="douyin",
            modalities=["face_likeness"],
            at=timezone.now(),
        )
    avatar = Avatar.objects.create(
        influencer=iris.influencer,
        brand=acme,
        grant=grant,
        purpose="livestream_ecommerce",
        platform="douyin",
        status=Avatar.Status.READY,
        progress=1.0,
        sample_duration_s=4.0,
        suggestions=[{"start_s": 2.8, "end_s": 3.6, "score": 2.1}],
    )
    job = RenderJob(avatar=avatar, brand=acme, grant=grant, purpose="livestream_ecommerce", platform="douyin")
    job.stream_id = str(job.public_id)
    job.settings = {"resolution": "720p", "fps": 30, "engine": "viseme-warp"}
    job.save()
    product = create_product(
        organisation=acme,
        actor=personas["alice"],
        sku="LIP-01",
        name="丝绒口红",
        price="1299.00",
        category="cosmetics",
        selling_points=["持久", "不沾杯"],
    )
    create_faq_entry(product=product, actor=personas["alice"], language="zh", question="会掉色吗？", answer="不会。")
    invite_member(organisation=acme, email="newcomer@acme.example", role="viewer", actor=personas["alice"])
    invitation = invite_member(
        organisation=personas["globex"], email=iris.email, role="viewer", actor=personas["charlie"]
    )
    # A script whose first version alice approved, overriding its blocking findings (no spoken AI disclosure, an
    # absolute claim), then a second version not yet reviewed; rita reviews for Acme.
    script = create_script(
        organisation=acme,
        actor=personas["alice"],
        title="口红直播话术",
        language="zh",
        lines=[
            {
                "text": "这是全网最好的口红，绝对不掉色。",
                "language": "zh",
                "intent": "product",
                "product_ids": [str(product.public_id)],
            },
            {"text": "喜欢的朋友点击下方链接。", "language": "zh", "intent": "cart"},
        ],
    )
    approved = script.versions.get()
    assert any(finding["severity"] == "block" for finding in approved.findings)
    approve(approved, personas["alice"])
    latest = save_script_version(
        script=script,
        actor=personas["alice"],
        lines=[{**approved.lines[0], "text": "这款口红颜色很显白。"}, *approved.lines[1:]],
        base_number=approved.number,
    )
    reviewer = make_reviewer(acme, "rita@acme.example")
    video_row = {
        "avatar": avatar,
        "brand": acme,
        "grant": grant,
        "platform": "douyin",
        "settings": {"orientation": "portrait", "width": 720, "height": 1280},
        "script": {"script_version_number": approved.number},
    }
    video_done = ShortVideo.objects.create(
        **video_row,
        status=ShortVideo.Status.DONE,
        progress=1.0,
        sha256="ab" * 32,
        size=1_234_567,
        duration_s=12.5,
        manifest_id="urn:c2pa:test",
        watermark_id="0123456789abcdef",
    )
    video_failed = ShortVideo.objects.create(
        **video_row, status=ShortVideo.Status.FAILED, error_code=BRAND_REFUSAL_CODE, error_message="refused"
    )
    # A draft stream of the avatar speaking the approved version (the streams pages).
    from datetime import timedelta as stream_delta

    from django.utils.timezone import now as stream_now

    from streaming.streams import create_stream

    stream = create_stream(
        organisation=acme,
        actor=personas["alice"],
        title="晚间直播",
        avatar=avatar,
        version_ids=[str(approved.public_id)],
        platform="taobao",
        rtmp_url="rtmp://127.0.0.1/live",
        stream_key="live-key-1234",
        starts_at=stream_now() + stream_delta(hours=1),
        stops_at=stream_now() + stream_delta(hours=3),
        operator_ids=[str(personas["bob"].public_id)],
    )
    # Metered live use of the stream today and a gate refusal of an Acme use (the dashboard and likeness pages).
    from consent.services import record_use_refused
    from streaming.metering import record_live_usage

    record_live_usage(stream.pk, seconds=2, sequence=0, script_version_id=approved.pk, now=timezone.now())
    record_use_refused(
        influencer_id=avatar.influencer_id,
        brand=acme,
        reason="out_of_scope_platform",
        purpose="livestream_ecommerce",
        platform="kuaishou",
        modalities=["face_likeness"],
        use="stream",
    )
    initech = create_organisation(name="Initech", slug="initech", owner=personas["charlie"])
    submit_legal_entity(
        organisation=initech, actor=personas["charlie"], legal_name="Initech (Beijing) Co., Ltd.", uscc=INITECH_USCC
    )
    # The clip check names this stream when a clip carries its code (tests stub the probe; see the page test).
    segment = Segment.objects.create(
        job=job,
        sequence=3,
        storage_name="segments/seg-3.m4s",
        uri="seg-3.m4s",
        sha256="cd" * 32,
        duration=2.0,
        wall_clock_start=timezone.now(),
        manifest_id="urn:c2pa:segment-3",
        watermark_id="00c0ffee000003",
        grant=grant,
    )
    export_row = {"organisation": acme, "requested_by": personas["audrey"], "subject": f"render_job:{job.public_id}"}
    export_done = AuditExport.objects.create(
        **export_row,
        influencer=iris.influencer,
        since=timezone.now() - timedelta(days=1),
        until=timezone.now(),
        include_media=True,
        status=AuditExport.Status.DONE,
        progress=1.0,
        file_name="audit-export.zip",
        sha256="ef" * 32,
        size=4096,
        event_count=12,
    )
    export_failed = AuditExport.objects.create(
        **export_row,
        status=AuditExport.Status.FAILED,
        progress=0.4,
        error_message="The bundle could not be built because of an internal error; the operators were told.",
    )
    # One event covered by a signed checkpoint (the page shows its inclusion proof and the Verify button), one after it.
    checkpointed_event = record_event(
        kind="audit.test", subject="stream:acme-i18n", payload={"n": 1}, actor=None, organisation=acme
    )
    record_event(kind="audit.test", subject="stream:acme-i18n", payload={"n": 2}, actor=None, organisation=acme)
    create_checkpoint()
    fresh_event = record_event(
        kind="audit.test", subject="stream:acme-i18n", payload={"n": 3}, actor=None, organisation=acme
    )
    from compliance.models import ArtifactCheck

    artifact_check = ArtifactCheck.objects.create(
        organisation=acme, job=job, status="running", progress_done=1, progress_total=3
    )
    return SimpleNamespace(
        artifact_check=artifact_check,
        segment=segment,
        export_done=export_done,
        export_failed=export_failed,
        checkpointed_event=checkpointed_event,
        fresh_event=fresh_event,
        grant=grant,
        in_review=in_review,
        reviewable=reviewable,
        reviewed=reviewed,
        draft=draft,
        avatar=avatar,
        job=job,
        product=product,
        invitation=invitation,
        initech=initech,
        script=script,
        stream=stream,
        approved_version=approved,
        latest_version=latest,
        rita=reviewer,
        video_done=video_done,
        video_failed=video_failed,
        **personas,
    )

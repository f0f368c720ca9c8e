"""The render part of `manage.py demo`: a consented avatar of the demo influencer and a 20 s labelled portrait stream.

Everything goes through the real paths: the influencer registers an Ed25519 API key (the demo has no browser for a
passkey), uploads a training sample (the public-domain astronaut portrait animated by `TalkingPortrait`) and records a
live statement (the same portrait warped to perform the challenge's liveness actions while espeak-ng reads the
one-time code), signs the grant with the API key; the brand then builds an avatar (gate -> vault -> build) and
renders a job whose segments are stored, signed and recorded in the ledger. Reruns reuse an active grant, a ready
avatar and a finished job.
"""

from __future__ import annotations

import base64
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from accounts.models import InfluencerProfile, Organisation, User
from common.files import make_private_dir, write_private
from render.script_source import ApprovedScript

# Landscape footage as a studio camera films it; the stream is portrait as the live apps show it, framed from the
# sample: 648 px of sample height give a 360x640 crop, the smallest a 720x1280 frame takes (2x upscale at most).
SAMPLE_SIZE = (1152, 648)
RESOLUTION = "720p-portrait"
# The demo shows both uses a consent can cover: the livestream and a short video from the same approved script.
DEMO_PURPOSES = ("livestream_ecommerce", "short_video")
DEMO_PIPL_FIELDS = {
    "controller": "Veracast Technology Co., Ltd. (demo)",
    "contact": "privacy@veracast.example",
    "purpose": "Create and run an AI digital human of you for the brands you choose.",
    "processing_method": "We record video, derive face embeddings, and synthesise new video.",
    "modalities": {
        "face_likeness": "Your face and likeness in generated video.",
        "voice": "Your voice in generated audio.",
        "body_movement": "Your body movement and gestures in generated video.",
    },
    "necessity": "A digital human cannot be made without these biometric data.",
    "impact": "Generated content will look like you; misuse could harm your reputation.",
    "retention_period": "Until the consent ends; then the data key is destroyed.",
    "recipients": "Only the brands you name, on the platforms you choose.",
    "withdrawal": "Revoke at any time in the portal or via the API; it takes effect immediately.",
}


def _video(seconds: float, *, seed: int) -> bytes:
    import av

    from render.engine.avatar.sample import TalkingPortrait

    clip = TalkingPortrait(
        seconds=seconds, fps=25, size=SAMPLE_SIZE, seed=seed, closed=((0.0, 2.5),), gestures=((4.0, 5.0),)
    )
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("h264", rate=25)
        stream.width, stream.height = SAMPLE_SIZE
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}
        for i in range(len(clip)):
            for packet in stream.encode(av.VideoFrame.from_ndarray(clip[i], format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _live_statement(code: str, actions: list[dict[str, Any]]) -> bytes:
    """Iris's statement as the checks want it: the astronaut portrait warped to do the challenge's actions in their
    windows while espeak-ng reads the code aloud (consent.biometrics.synthetic)."""
    from skimage import data

    from consent.biometrics import liveness, synthetic

    portrait = data.astronaut()[0:400, 56:456]  # the head and shoulders TalkingPortrait uses for the sample
    return synthetic.statement_video(
        portrait, code=code, actions=liveness.actions_from_json(actions), size=SAMPLE_SIZE, fps=10
    )


def _active_grant(influencer: InfluencerProfile, brand: Organisation) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from consent import services as consent_services
    from consent.models import ConsentGrant, ConsentTemplate

    existing = ConsentGrant.objects.filter(
        influencer=influencer, brands=brand, status=ConsentGrant.Status.ACTIVE, valid_until__gt=timezone.now()
    ).first()
    if (
        existing is not None
        and {"face_likeness"} <= set(existing.modalities)
        and set(DEMO_PURPOSES) <= set(existing.scope.get("purposes", []))
    ):
        return existing
    user = influencer.user
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    template = ConsentTemplate.objects.filter(status=ConsentTemplate.Status.PUBLISHED).order_by("-pk").first()
    if template is None:
        if staff is None:
            raise RuntimeError("the demo needs a platform staff user to publish a consent text")
        template = consent_services.publish_template(
            template=consent_services.create_template(
                family="avatar-licence",
                language="en",
                title="Digital human licence",
                body="I allow Veracast to create a digital human of me within the scope below.",
                pipl_fields=DEMO_PIPL_FIELDS,
                actor=staff,
            ),
            actor=staff,
        )
    # A fresh API key per run: its private half lives only in this process.
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    api_key = consent_services.register_api_signing_key(user=user, public_key=public, label="demo")
    consent_services.upload_sample(user=user, video=io.BytesIO(_video(32.0, seed=7)), content_type="video/mp4")
    now = timezone.now()
    grant = consent_services.create_grant(
        user=user,
        template=template,
        brands=[brand],
        modalities=["face_likeness", "body_movement"],
        purposes=list(DEMO_PURPOSES),
        platforms=["douyin"],
        valid_from=now - timedelta(minutes=1),
        valid_until=now + timedelta(days=90),
    )
    challenge, code = consent_services.issue_statement_challenge(grant=grant, user=user)
    grant = consent_services.submit_statement(
        grant=grant,
        user=user,
        challenge_id=str(challenge.public_id),
        video=io.BytesIO(_live_statement(code, challenge.actions)),
        content_type="video/mp4",
    )
    signature = base64.b64encode(private.sign(grant.scope_canonical.encode("utf-8"))).decode("ascii")
    grant = consent_services.sign_grant(
        grant=grant, user=user, ed25519_key_id=api_key.key_id, ed25519_signature=signature
    )
    if grant.status == ConsentGrant.Status.PENDING_REVIEW and staff is not None:
        grant = consent_services.review_grant(
            grant=grant, reviewer=staff, decision="approve", reason="Demo: synthetic sample and statement."
        )
    return grant


def run_render_demo(
    *,
    influencer: InfluencerProfile,
    brand: Organisation,
    actor: User,
    output_dir: str | Path,
    script: ApprovedScript,
) -> dict[str, Any]:
    """Build an avatar of `influencer` for `brand` and render the approved `script` as a labelled stream (20 s or
    more); copy it to `output_dir`."""
    from render.avatars import create_avatar
    from render.jobs import run_render_job, submit_render_job
    from render.models import Avatar, RenderJob
    from render.publisher import segment_storage
    from render.tasks import build_avatar_task

    grant = _active_grant(influencer, brand)
    avatar = Avatar.objects.filter(influencer=influencer, brand=brand, status=Avatar.Status.READY).first()
    if avatar is None:
        avatar = create_avatar(
            influencer=influencer,
            brand=brand,
            actor=actor,
            purpose="livestream_ecommerce",
            platform="douyin",
            gesture_marks=[{"name": "greet", "start_s": 4.0, "end_s": 5.0}],
        )
        build_avatar_task(avatar.pk)  # idempotent: a no-op when the in-process worker built it on commit
        avatar.refresh_from_db()
    if avatar.status != Avatar.Status.READY:
        raise RuntimeError(f"the demo avatar did not build: {avatar.error_code}: {avatar.error_message}")
    job = RenderJob.objects.filter(
        avatar=avatar,
        status=RenderJob.Status.DONE,
        settings__resolution=RESOLUTION,
        script_version_sha256=script.version_sha256,
    ).first()
    if job is None:
        job = submit_render_job(
            avatar=avatar,
            actor=actor,
            purpose="livestream_ecommerce",
            platform="douyin",
            script=script,
            resolution=RESOLUTION,
        )
        job = run_render_job(job_id=job.pk)
    if job.status != RenderJob.Status.DONE:
        raise RuntimeError(f"the demo stream did not render: {job.error_code}: {job.error_message}")

    out = Path(output_dir) / "stream"
    make_private_dir(out)
    storage = segment_storage()
    copied = []
    for name, stored in [
        ("init.mp4", job.init_storage_name),
        *[(s.uri, s.storage_name) for s in job.segments.order_by("sequence")],
        ("index.m3u8", job.playlist_storage_name),
        ("master.m3u8", f"{job.stream_id}/master.m3u8"),
    ]:
        with storage.open(stored, "rb") as source:
            write_private(out / name, source.read())  # a person's likeness: owner-only, like the vault
        copied.append(out / name)
    return {
        "consent_grant_id": str(grant.public_id),
        "avatar_id": str(avatar.public_id),
        "job_id": str(job.public_id),
        "stream_id": job.stream_id,
        "duration_s": job.duration_s,
        "voice": job.settings.get("tts_backend"),  # the platform's default: the neural voice (docs/voice.md)
        "playlist": str(out / "index.m3u8"),
        "multivariant_playlist": str(out / "master.m3u8"),
        "init_segment": str(out / "init.mp4"),
        "segments": [str(p) for p in copied if p.suffix == ".m4s"],
        "ledger_subject": job.subject,
        "script": script.reference(),
        "api": {
            "job": f"/api/v1/render-jobs/{job.public_id}/",
            "playlist": f"/api/v1/render-jobs/{job.public_id}/files/index.m3u8",
        },
    }


def run_short_video_demo(
    *, avatar_id: str, actor: User, output_dir: str | Path, script: ApprovedScript
) -> dict[str, Any]:
    """Render the approved `script` as a portrait short video (purpose short_video, gated like every render) with the
    avatar the stream demo built, and copy the MP4 to `output_dir`. Running it again reuses a finished video."""
    from render.models import Avatar, ShortVideo
    from render.publisher import segment_storage
    from render.short_videos import run_short_video, submit_short_video

    avatar = Avatar.objects.get(public_id=avatar_id)
    video = (
        ShortVideo.objects.filter(
            avatar=avatar, status=ShortVideo.Status.DONE, script__script_version_sha256=script.version_sha256
        )
        .order_by("-pk")
        .first()
    )
    if video is None:
        video = submit_short_video(avatar=avatar, actor=actor, script=script, orientation="portrait")
        video = run_short_video(video_id=video.pk)  # a no-op when the in-process worker already made it on commit
    if video.status != ShortVideo.Status.DONE:
        raise RuntimeError(f"the demo short video did not render: {video.error_code}: {video.error_message}")
    out = Path(output_dir) / "short_video.mp4"
    with segment_storage().open(video.storage_name, "rb") as source:
        write_private(out, source.read())  # a person's likeness: owner-only, like the stream
    return {
        "id": str(video.public_id),
        "file": str(out),
        "sha256": video.sha256,
        "size": video.size,
        "duration_s": video.duration_s,
        "voice": video.settings.get("tts_backend"),
        "manifest_id": video.manifest_id,
        "watermark_id": video.watermark_id,
        "consent_grant_id": str(video.grant.public_id) if video.grant else None,
        "script": script.reference(),
        "ledger_subject": video.subject,
        "page": f"/render/short-videos/{video.public_id}/",
        "api": f"/api/v1/short-videos/{video.public_id}/",
    }

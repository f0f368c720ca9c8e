"""Bad render input gets a stable code and publishes nothing: script problems are refused before anything is
queued (400 from the API); a missing or wrong key or certificate, an ONNX model with the wrong inputs, or a sample
too small to frame in portrait, fails the job before its first segment, and the ledger claims no segment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from common.api import DomainError
from render.models import RenderJob, Segment
from render.services import submit_render_job
from render.tasks import render_job_task
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script


def _submit(avatar: Any, personas: dict[str, Any], lines: list[dict[str, Any]], **kwargs: Any) -> RenderJob:
    return submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, lines),
        **kwargs,
    )


def _nothing_published(job: RenderJob) -> None:
    assert not Segment.objects.filter(job=job).exists()
    assert not LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").exists()


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ({"text": "🙂🙂", "language": "en", "intent": "idle"}, "unspeakable_empty"),
        ({"text": "!!!", "language": "en", "intent": "idle"}, "unspeakable_nothing_to_say"),
        ({"text": "点关注", "language": "en", "intent": "follow"}, "unspeakable_wrong_script"),
        ({"text": "Tap follow now!", "language": "en", "intent": "thanks"}, "intent_conflict"),
        ({"text": "Hello", "language": "en", "intent": "clap"}, "unknown_intent"),
    ],
)
def test_script_problems_are_refused_before_anything_is_queued(
    personas: dict[str, Any], line: dict[str, Any], code: str
) -> None:
    from streaming.models import Script

    avatar = ready_avatar(personas)
    client = APIClient()
    client.force_authenticate(personas["alice"])
    # Render speaks approved scripts only: the line is refused where scripts are written, with render's own code.
    response = client.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/scripts/",
        {"title": "Bad line", "language": "en", "lines": [line]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert not Script.objects.exists()
    # Raw lines sent to the render API are refused with a sentence saying to approve a script first.
    response = client.post(
        "/api/v1/render-jobs/",
        {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin", "lines": [line]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "script_required"
    assert "approve" in response.json()["message"]
    assert not RenderJob.objects.exists()


def test_the_label_cannot_be_turned_off_through_the_api(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    version = approved_script(personas, SHORT_LINES).version_id
    client = APIClient()
    client.force_authenticate(personas["alice"])
    for extra in ({"label": False}, {"label_languages": ""}, {"label_text_height": 0.01}):
        body = {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}
        response = client.post("/api/v1/render-jobs/", {**body, "script_version": version, **extra}, format="json")
        assert response.status_code == 400, (extra, response.content)
    assert not RenderJob.objects.exists()


def test_a_missing_watermark_key_fails_the_job_before_its_first_segment(
    personas: dict[str, Any], settings: Any
) -> None:
    avatar = ready_avatar(personas)
    job = _submit(avatar, personas, SHORT_LINES)
    Path(settings.WATERMARK_KEY_PATH).unlink()

    assert render_job_task(job.pk)["error_code"] == "watermark_key_missing"

    job.refresh_from_db()
    assert job.status == "failed"
    assert "VERACAST_WATERMARK_KEY_FILE" in job.error_message
    _nothing_published(job)
    assert LedgerEvent.objects.get(subject=job.subject, kind="render_job.failed").payload_data["reason"] == (
        "watermark_key_missing"
    )


def test_a_wrong_signing_certificate_fails_the_job_before_its_first_segment(
    personas: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    from render.engine.devcerts import make_development_chain

    avatar = ready_avatar(personas)
    job = _submit(avatar, personas, SHORT_LINES)
    other = make_development_chain(tmp_path / "other")
    settings.C2PA_SIGNING_KEY_PATH = other.signing_key  # a key that does not match the configured chain

    assert render_job_task(job.pk)["error_code"] == "signing_credentials_invalid"

    job.refresh_from_db()
    assert "does not match the certificate" in job.error_message
    _nothing_published(job)


def test_a_missing_certificate_chain_names_the_file(personas: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    avatar = ready_avatar(personas)
    job = _submit(avatar, personas, SHORT_LINES)
    settings.C2PA_CERT_CHAIN_PATH = tmp_path / "absent-chain.pem"

    assert render_job_task(job.pk)["error_code"] == "signing_credentials_invalid"

    job.refresh_from_db()
    assert "absent-chain.pem" in job.error_message
    _nothing_published(job)


@pytest.mark.slow
def test_an_onnx_model_with_the_wrong_inputs_fails_the_job(
    personas: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    import torch

    class Wrong(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 2

    model = tmp_path / "wrong.onnx"
    torch.onnx.export(
        Wrong(), (torch.zeros(1, 3, 8, 8),), str(model), input_names=["x"], output_names=["y"], dynamo=False
    )
    settings.RENDER_ONNX_MODEL_PATH = str(model)
    avatar = ready_avatar(personas)
    job = _submit(avatar, personas, SHORT_LINES, engine="onnx")

    assert render_job_task(job.pk)["error_code"] == "onnx_model_invalid"

    _nothing_published(job)


def test_a_sample_too_small_for_a_portrait_stream_fails_the_job_before_its_first_segment(
    personas: dict[str, Any],
) -> None:
    avatar = ready_avatar(personas)
    job = _submit(avatar, personas, SHORT_LINES, resolution="1080p-portrait", fps=25)

    assert render_job_task(job.pk)["error_code"] == "sample_too_small_for_portrait"

    job.refresh_from_db()
    assert job.status == "failed"
    assert "1080x1920" in job.error_message
    _nothing_published(job)


def test_a_job_for_an_avatar_that_is_not_ready_is_refused(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    avatar.status = "building"
    avatar.save(update_fields=["status"])
    with pytest.raises(DomainError) as info:
        _submit(avatar, personas, SHORT_LINES)
    assert info.value.code == "avatar_not_ready"


@pytest.mark.parametrize("language", ["fr", "ja", "zh-TW-x"])
def test_a_line_in_a_language_the_tts_and_label_cannot_render_is_refused_by_name(
    personas: dict[str, Any], language: str
) -> None:
    avatar = ready_avatar(personas)
    line = {"id": "l-fr", "text": "Bonjour à tous", "language": language, "intent": "greet"}
    with pytest.raises(DomainError) as refused:
        _submit(avatar, personas, [line])
    assert refused.value.code == "unspeakable_unsupported_language"
    assert "l-fr" in str(refused.value.detail)
    assert language in str(refused.value.detail)
    client = APIClient()
    client.force_authenticate(personas["alice"])
    response = client.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/scripts/",
        {"title": "French", "language": "en", "lines": [line]},
        format="json",
    )
    assert response.status_code == 400
    assert "language" in response.content.decode()
    assert not RenderJob.objects.exists()


@pytest.mark.parametrize(
    ("option", "code"),
    [
        ({"label_languages": "en+zh"}, "invalid_label"),
        ({"label_languages": "en"}, "invalid_label"),
        ({"resolution": "4k"}, "invalid_resolution"),
        ({"fps": 60}, "invalid_fps"),
        ({"engine": "wav2lip"}, "invalid_engine"),
    ],
)
def test_an_option_the_engine_does_not_offer_is_refused_before_anything_is_queued(
    personas: dict[str, Any], option: dict[str, Any], code: str
) -> None:
    avatar = ready_avatar(personas)
    with pytest.raises(DomainError) as refused:
        _submit(avatar, personas, SHORT_LINES, **option)
    assert refused.value.code == code
    assert str(next(iter(option))).split("_")[0] in str(refused.value.detail)
    client = APIClient()
    client.force_authenticate(personas["bob"])
    body = {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}
    version = approved_script(personas, SHORT_LINES).version_id
    response = client.post("/api/v1/render-jobs/", {**body, "script_version": version, **option}, format="json")
    assert response.status_code == 400, response.content
    assert next(iter(option)) in response.content.decode()
    assert not RenderJob.objects.exists()


def test_the_disclosure_line_id_is_reserved(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    with pytest.raises(DomainError) as refused:
        _submit(avatar, personas, [{**SHORT_LINES[0], "id": "ai-disclosure"}])
    assert refused.value.code == "reserved_line_id"
    assert not RenderJob.objects.exists()


def test_a_stored_job_with_an_option_the_engine_does_not_offer_fails_naming_it(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    job = _submit(avatar, personas, SHORT_LINES)
    # A job queued before the choices had one source (the API then accepted 'en+zh').
    RenderJob.objects.filter(pk=job.pk).update(settings={**job.settings, "label_languages": "en+zh"})

    assert render_job_task(job.pk)["error_code"] == "label_required"

    job.refresh_from_db()
    assert "'en+zh'" in job.error_message
    _nothing_published(job)

"""Choices have one source: the API offers exactly the engine's options (render.engine.options), the service checks
against them, and every combination the API offers is one the engine renders a labelled frame for. Before, the API
accepted label_languages 'en+zh' and every such job then failed with `label_required`."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from rest_framework.test import APIClient

from render.engine import options
from render.models import RenderJob
from render.serializers import RenderJobCreateSerializer, ScriptLineSerializer
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script


def _choices(serializer: Any, name: str) -> list[Any]:
    return list(serializer.fields[name].choices)


def test_the_api_offers_exactly_the_engine_options() -> None:
    job = RenderJobCreateSerializer()
    assert _choices(job, "resolution") == list(options.RESOLUTIONS)
    assert _choices(job, "fps") == list(options.SUPPORTED_FPS)
    assert _choices(job, "engine") == list(options.ENGINES)
    assert _choices(job, "label_languages") == list(options.LABEL_LANGUAGES)
    assert _choices(ScriptLineSerializer(), "language") == list(options.LINE_LANGUAGES)
    assert "en+zh" not in options.LABEL_LANGUAGES


def test_every_offered_combination_is_accepted_by_the_engine_and_labels_its_frame(tmp_path: Any) -> None:
    from render.engine.label import MIN_HEIGHT_FRACTION, LabelCompositor
    from render.engine.stream import StreamConfig

    model = tmp_path / "lipsync.onnx"
    combinations = itertools.product(
        options.RESOLUTIONS.values(), options.SUPPORTED_FPS, options.ENGINES, options.LABEL_LANGUAGES
    )
    for (width, height), fps, engine, label in combinations:
        # The service speaks the disclosure in the label's languages.
        config = StreamConfig(
            width=width,
            height=height,
            fps=fps,
            engine=engine,
            onnx_model_path=str(model) if engine == "onnx" else None,
            label_languages=label,
            disclosure_languages=label,
        )
        parameters = LabelCompositor(config.label_spec()).parameters(width, height)
        assert parameters["text_height_fraction"] >= MIN_HEIGHT_FRACTION


@pytest.mark.parametrize("label", list(options.LABEL_LANGUAGES))
def test_every_offered_label_choice_is_accepted_by_the_api(personas: dict[str, Any], label: str) -> None:
    avatar = ready_avatar(personas)
    client = APIClient()
    client.force_authenticate(personas["bob"])
    body = {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}
    version = approved_script(personas, SHORT_LINES).version_id
    response = client.post(
        "/api/v1/render-jobs/", {**body, "script_version": version, "label_languages": label}, format="json"
    )
    assert response.status_code == 202, response.content
    assert RenderJob.objects.get().settings["label_languages"] == label


def test_en_plus_zh_is_not_offered(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    client = APIClient()
    client.force_authenticate(personas["bob"])
    body = {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}
    version = approved_script(personas, SHORT_LINES).version_id
    response = client.post(
        "/api/v1/render-jobs/", {**body, "script_version": version, "label_languages": "en+zh"}, format="json"
    )
    assert response.status_code == 400
    assert "label_languages" in response.content.decode()
    assert not RenderJob.objects.exists()

"""The API, the service and the engine offer the same sizes and frame rates, portrait included: the serializer's
choices and the service's table are read from the engine's one constant, and every name maps back to a StreamConfig
the engine accepts."""

from __future__ import annotations

from render.engine.options import SUPPORTED_FPS, SUPPORTED_SIZES
from render.engine.stream import StreamConfig
from render.serializers import RenderJobCreateSerializer
from render.services import FRAME_RATES, RESOLUTIONS


def test_the_api_offers_exactly_the_engine_sizes_and_rates() -> None:
    fields = RenderJobCreateSerializer().fields
    assert set(fields["resolution"].choices) == set(SUPPORTED_SIZES.values())
    assert set(fields["fps"].choices) == set(SUPPORTED_FPS)
    assert {"720p-portrait", "1080p-portrait"} <= set(RESOLUTIONS)
    assert tuple(FRAME_RATES) == SUPPORTED_FPS


def test_every_offered_name_is_a_config_the_engine_renders() -> None:
    for name, (width, height) in RESOLUTIONS.items():
        for fps in FRAME_RATES:
            config = StreamConfig(width=width, height=height, fps=fps)
            assert config.name == f"{name}{fps}"

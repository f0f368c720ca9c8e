from __future__ import annotations

import av
import numpy as np
import pytest

from render.engine.avatar import AvatarAssets
from render.engine.options import SUPPORTED_SIZES
from render.engine.stream import ScriptLine, StreamConfig, StreamConfigError
from tests.render.engine.stream.rendered import make_renderer, rendered


@pytest.mark.parametrize(("width", "height", "fps"), [(1280, 720, 30), (1920, 1080, 25), (720, 1280, 25)])
def test_landscape_and_portrait_render_a_labeled_segment_of_that_size(
    width: int, height: int, fps: int, tmp_path
) -> None:
    stream = rendered()
    config = StreamConfig(width=width, height=height, fps=fps, disclosure_languages="zh")
    renderer = make_renderer(stream.pki, AvatarAssets.from_bytes(stream.assets_path.read_bytes()), config)
    plan = renderer.plan([ScriptLine("l-1", "谢谢大家", "zh", "thanks")])
    result = renderer.render_segment(plan, 0, previous_manifest_id=None)
    path = tmp_path / "seg.mp4"
    path.write_bytes(renderer.init_segment().data + result.data)
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 2 * fps
    assert frames[0].shape == (height, width, 3)
    x, y, w, h = result.record.label["box"]
    assert (frames[-1][y : y + h, x : x + w].max(axis=2) < 50).mean() > 0.5
    assert result.record.label["text_height_px"] >= 0.05 * min(width, height)
    assert result.record.settings == f"{SUPPORTED_SIZES[(width, height)]}{fps}"
    assert np.isclose(result.record.duration, 2.0)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"width": 640, "height": 360}, "unsupported_resolution"),
        ({"width": 3840, "height": 2160}, "unsupported_resolution"),
        ({"width": 720, "height": 1080}, "unsupported_resolution"),
        ({"width": 1080, "height": 1080}, "unsupported_resolution"),
        ({"fps": 24}, "unsupported_fps"),
        ({"fps": 60}, "unsupported_fps"),
        ({"segment_seconds": 2.5}, "unsupported_segment_length"),
        ({"label_languages": ""}, "label_required"),
        ({"label_languages": "en"}, "label_required"),
        ({"label_languages": "none"}, "label_required"),
        ({"disclosure_languages": ""}, "disclosure_required"),
        ({"disclosure_languages": "en"}, "disclosure_required"),
        ({"engine": "wav2lip-gan"}, "unknown_engine"),
        ({"engine": "onnx"}, "onnx_model_missing"),
        ({"label_corner": "centre"}, "bad_label_placement"),
    ],
)
def test_other_settings_are_refused_with_a_clear_code(kwargs: dict, code: str) -> None:
    with pytest.raises(StreamConfigError) as caught:
        StreamConfig(**kwargs)
    assert caught.value.code == code
    assert caught.value.message

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from render.engine.avatar.assets import clip_frame
from render.engine.lipsync.onnx_engine import OnnxLipSyncEngine, face_box
from tests.render.engine.avatar.sample_avatar import FPS, sample_assets
from tests.render.engine.lipsync.tiny_models import export

N = 20


def _audio(sr: int = 22050) -> np.ndarray:
    # 0.4 s of silence, then 0.4 s of a loud voiced-like tone: the model darkens the mouth only when it hears sound.
    t = np.arange(int(0.8 * sr)) / sr
    tone = 0.8 * np.sign(np.sin(2 * np.pi * 180 * t)) * (t >= 0.4)
    return tone.astype(np.float32)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("onnx") / "tiny_lipsync.onnx")


def test_it_generates_mouths_from_audio_and_pastes_them_back_only_on_the_lower_face(model: Path) -> None:
    assets = sample_assets()
    bodies = [clip_frame(assets.idle, i) for i in range(N)]
    engine = OnnxLipSyncEngine(model, batch_size=6)
    assert engine.providers[-1] == "CPUExecutionProvider"
    frames = engine.render(bodies, _audio(), 22050, FPS)
    assert len(frames) == N
    changes = []
    for body, out in zip(bodies, frames, strict=True):
        bx, by, side = face_box(body.landmarks, body.image.shape)
        outside = np.ones(out.shape[:2], bool)
        outside[by : by + side, bx : bx + side] = False
        assert np.array_equal(out[outside], body.image[outside])
        # The upper face (eyes, nose) is never pasted: the feathered mask starts below 40% of the crop.
        upper = (slice(by, by + int(0.4 * side)), slice(bx, bx + side))
        assert np.array_equal(out[upper], body.image[upper])
        lower = (slice(by + int(0.65 * side), by + int(0.85 * side)), slice(bx + int(0.3 * side), bx + int(0.7 * side)))
        changes.append(float(body.image[lower].astype(int).mean() - out[lower].astype(int).mean()))
    silent, loud = np.mean(changes[:8]), np.mean(changes[12:])
    assert loud > silent + 20, (silent, loud)


def test_batching_does_not_change_the_result(model: Path) -> None:
    assets = sample_assets()
    bodies = [clip_frame(assets.idle, i) for i in range(N)]
    one = OnnxLipSyncEngine(model, batch_size=1).render(bodies, _audio(), 22050, FPS)
    seven = OnnxLipSyncEngine(model, batch_size=7).render(bodies, _audio(), 22050, FPS)
    for a, b in zip(one, seven, strict=True):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 1


def test_a_model_with_a_fixed_batch_is_run_in_its_own_batch_size_with_padding(tmp_path: Path) -> None:
    path = export(tmp_path / "fixed.onnx", dynamic_batch=False, batch=4)
    assets = sample_assets()
    bodies = [clip_frame(assets.idle, i) for i in range(6)]  # 6 = one full batch of 4 + a padded one
    engine = OnnxLipSyncEngine(path, batch_size=16)
    assert engine.batch_size == 4
    assert len(engine.render(bodies, _audio(), 22050, FPS)) == 6

"""The render worker's onnx frames are drawn into the face region of the cached YUV body frame, and equal what the
engine's whole-frame paste gives (converted to YUV), within the rounding of cross-fades."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from render.engine.avatar.assets import BodyFrame
from render.engine.devcerts import make_development_chain
from render.engine.lipsync.mel import mel_spectrogram, mel_windows
from render.engine.lipsync.onnx_engine import face_box, paste_back
from render.engine.stream import SAMPLE_RATE
from render.engine.yuv import rgb_to_yuv420
from tests.render.engine.avatar.sample_avatar import sample_assets
from tests.render.engine.lipsync.tiny_models import export
from tests.render.engine.stream.rendered import CONFIG, LINES, make_renderer


def test_onnx_frames_match_the_whole_frame_paste_and_leave_the_rest_alone(tmp_path: Path) -> None:
    config = dataclasses.replace(CONFIG, engine="onnx", onnx_model_path=str(export(tmp_path / "tiny.onnx")))
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets(), config)
    plan = renderer.plan(LINES)
    engine = renderer._onnx
    mels = mel_windows(mel_spectrogram(plan.pcm, SAMPLE_RATE), plan.frame_count, config.fps, engine.contract.mel_steps)
    w, h = renderer._bodies.frame_size
    loud = int(np.argmax([float(m.mean()) for m in mels]))
    for index in sorted({0, plan.frame_count // 2, loud, plan.frame_count - 1}):
        planned = plan.gestures[index]
        drawn = renderer._onnx_frame(plan, index, planned)

        full = renderer._bodies.full_rgb(planned)
        body = BodyFrame(full, plan.landmarks[index], plan.to_px[index], np.zeros(3, np.float32))
        faces, boxes = engine.prepare([body])
        expected = rgb_to_yuv420(paste_back(full, engine.infer(mels[index : index + 1], faces)[0], boxes[0]))
        assert drawn.shape == expected.shape
        assert np.abs(drawn.astype(int) - expected.astype(int)).max() <= 2, index

        # Outside the face box (widened to even bounds) the luma is the body frame's, untouched.
        bx, by, side = face_box(plan.landmarks[index], (h, w))
        untouched, _ = renderer._bodies.body(planned)
        outside = np.ones((h, w), bool)
        outside[by // 2 * 2 : by + side + 1, bx // 2 * 2 : bx + side + 1] = False
        assert np.array_equal(drawn[:h][outside], untouched[:h][outside])

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np

from render.engine.avatar.face import measure_opening
from tests.render.engine.avatar.sample_avatar import FPS
from tests.render.engine.lipsync.rendered import rendered

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "lipsync"


def _mouth_zoom(image: np.ndarray, landmarks: np.ndarray, size: int = 320) -> np.ndarray:
    x0, y0 = landmarks[:, 0].min(), landmarks[:, 1].min()
    x1, y1 = landmarks[:, 0].max(), landmarks[:, 1].max()
    cx, cy, r = int((x0 + x1) / 2), int(y0 + 0.8 * (y1 - y0)), int(0.45 * (x1 - x0))
    return cv2.resize(image[cy - r : cy + r, cx - r : cx + r], (size, size), interpolation=cv2.INTER_CUBIC)


def _save_artifacts(bodies: list, params: object, frames: list[np.ndarray], openings: list[float]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    jaw = params.jaw_open  # type: ignore[attr-defined]
    picks = [int(np.argmin(jaw[:20])), int(np.argmax(jaw)), 20, 33, 47]
    rows = [np.hstack([_mouth_zoom(bodies[i].image, bodies[i].landmarks), _mouth_zoom(frames[i], bodies[i].landmarks)])
            for i in picks]  # fmt: skip
    cv2.imwrite(
        str(ARTIFACTS / "viseme_warp_mouths_source_vs_output.png"), cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR)
    )
    for i in picks[:2]:
        cv2.imwrite(str(ARTIFACTS / f"viseme_warp_frame_{i:03d}.png"), cv2.cvtColor(frames[i], cv2.COLOR_RGB2BGR))
    with av.open(str(ARTIFACTS / "viseme_warp_clip.mp4"), "w") as out:
        stream = out.add_stream("libx264", rate=int(FPS))
        stream.width, stream.height, stream.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    lines = [f"{i},{jaw[i]:.3f},{openings[i]:.4f}" for i in range(len(frames))]
    (ARTIFACTS / "viseme_warp_openings.csv").write_text("frame,jaw_open,measured_gap_iod\n" + "\n".join(lines) + "\n")


def test_the_mouth_opening_measured_by_mediapipe_follows_the_requested_jaw_open() -> None:
    bodies, params, frames = rendered()
    openings = [measure_opening(f) for f in frames]
    assert all(o is not None for o in openings), "mediapipe lost the face on a rendered frame"
    measured = np.array(openings, dtype=np.float64)
    _save_artifacts(bodies, params, frames, list(measured))
    r = float(np.corrcoef(measured, params.jaw_open)[0, 1])
    assert r > 0.8, r
    # And it really opens: wide-open frames show a clearly larger gap than closed ones.
    high, low = params.jaw_open > 0.8, params.jaw_open < 0.1
    assert measured[high].mean() - measured[low].mean() > 0.07  # IOD: ~5 px at this face size


def test_the_source_idle_mouth_does_not_explain_the_result() -> None:
    # Guard against a test that passes because the idle footage happens to move like the request.
    bodies, params, _ = rendered()
    source = np.array([b.shape[0] for b in bodies])
    assert abs(float(np.corrcoef(source, params.jaw_open)[0, 1])) < 0.5

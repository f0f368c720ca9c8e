"""Face match for a 20 s statement video (1280x720, 25 fps, H.264) against a training sample's embeddings.

What is timed is what the server does per statement: probe the upload (demux every packet), decode it front to back
sampling 12 frames, detect the face in each (HOG at 960 px), embed it (5-point alignment + ResNet), and compare with
the sample's stored embeddings (median of pairwise distances). Model loading is excluded (once per process, reported
separately). The figure is the median of RUNS runs; the media are made from public-domain portraits (astronaut,
Grace Hopper) with gentle motion, see tests/consent/biometrics/media_factory.py.

    python bench/bench_face_match.py        # prints the Markdown section
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3
SIZE = (1280, 720)
FPS = 25
SECONDS = 20


def run() -> str:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from consent.biometrics import face
    from consent.biometrics.media import probe_video
    from tests.consent.biometrics import media_factory as mf

    start = time.perf_counter()
    face._models()
    load_s = time.perf_counter() - start

    statement = mf.video_bytes(
        mf.gentle_motion(mf.astronaut(), SIZE, phases=50), count=SECONDS * FPS, fps=FPS, codec="h264"
    )
    impostor = mf.video_bytes(
        mf.gentle_motion(mf.grace_hopper(), SIZE, phases=50), count=SECONDS * FPS, fps=FPS, codec="h264"
    )
    sample_frames = [
        mf.place(mf.astronaut(), SIZE, scale=1.2, crop=(0.05, 0.0, 0.85, 0.8), brightness=1.25, dx=dx)
        for dx in (-30, -15, 0, 15, 30)
    ]
    sample = mf.video_bytes(sample_frames, count=30, fps=1, codec="vp8", container="webm")
    sample_embeddings = face.face_track_summary(io.BytesIO(sample)).embeddings

    timings: list[float] = []
    probes: list[float] = []
    same = None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        info = probe_video(io.BytesIO(statement))
        t1 = time.perf_counter()
        summary = face.face_track_summary(io.BytesIO(statement), info=info)
        same = face.compare_faces(summary.embeddings, sample_embeddings)
        t2 = time.perf_counter()
        probes.append(t1 - t0)
        timings.append(t2 - t0)
    different = face.compare_faces(face.face_track_summary(io.BytesIO(impostor)).embeddings, sample_embeddings)
    assert same is not None

    return "\n".join(
        [
            "## Consent: face match",
            "",
            f"Statement video: {SECONDS} s, {SIZE[0]}x{SIZE[1]}, {FPS} fps, H.264 ({len(statement) / 1e6:.1f} MB); "
            f"sample: 30 s VP8 WebM, {len(sample_embeddings)} embeddings. {face.DEFAULT_SAMPLED_FRAMES} frames "
            f"sampled per statement; dlib HOG at {face.DETECTION_MAX_SIDE} px, 5-point alignment, ResNet 128-D. "
            f"Median of {RUNS} runs; models loaded once beforehand ({load_s:.2f} s). Load average during the run: "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared machine: read the times as upper bounds).",
            "",
            "| step | median | min | max |",
            "|---|---|---|---|",
            f"| probe (demux all packets + first frame) | {statistics.median(probes) * 1000:.0f} ms "
            f"| {min(probes) * 1000:.0f} ms | {max(probes) * 1000:.0f} ms |",
            f"| whole face match (probe, decode, detect, embed, compare) | {statistics.median(timings):.2f} s "
            f"| {min(timings):.2f} s | {max(timings):.2f} s |",
            "",
            f"| pair | median distance | p90 | frames used | decision (threshold {same.threshold}) |",
            "|---|---|---|---|---|",
            f"| astronaut statement vs astronaut sample (same person) | {same.distance_median:.3f} "
            f"| {same.distance_p90:.3f} | {same.frames_used} | {same.decision} |",
            f"| Grace Hopper statement vs astronaut sample (different) | {different.distance_median:.3f} "
            f"| {different.distance_p90:.3f} | {different.frames_used} | {different.decision} |",
            "",
        ]
    )


if __name__ == "__main__":
    print(run())

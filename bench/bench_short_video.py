"""Benchmark: short-video render speed at 720x1280, in seconds of video per second of wall time.

`python bench/bench_short_video.py` prints a Markdown section; `run()` returns it.

The avatar is the synthetic talking astronaut (render.engine.avatar.sample) built from a 1280x720 sample and framed
for portrait, as in bench_render_pipeline.py. A script of a Mandarin and an English line (after the spoken
disclosure) is planned once per run (TTS, mouth track, gestures, lip-sync path) and rendered by
`render.engine.short_video.render_short_video` into one signed MP4 (frames drawn on helper threads while x264 encodes,
AAC, +faststart, AIGC in moov/udta/meta, one C2PA manifest). Each run uses a fresh renderer, as a render task does;
the medians are over `RUNS` runs after one warm-up run (which loads the models and fills the font caches).
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

RUNS = 3
KEY = b"benchmark-watermark-key-00000000"
PRODUCER = "0011911101080000000000" + "10001"
LINES_ARGS = (
    ("l1", "大家好，欢迎来到直播间，今天给大家带来新品", "zh", "greet"),
    ("l2", "Tap follow so you do not miss the next deal.", "en", "follow"),
)


def _avatar() -> Any:
    from render.engine.avatar import GestureMark, build_avatar
    from render.engine.avatar.sample import TalkingPortrait

    clip = TalkingPortrait(seconds=5.0, fps=25.0, size=(1280, 720), closed=((0.0, 2.5),), gestures=((3.0, 4.0),))
    return build_avatar([clip[i] for i in range(len(clip))], 25.0, marks=[GestureMark("greet", 3.0, 4.0)])


def _once(assets: Any, pki: Any, n: int) -> dict[str, Any]:
    from render.engine.c2pa_sign import ConsentReference, SegmentSigner
    from render.engine.short_video import render_short_video
    from render.engine.stream import ScriptLine, StreamConfig, StreamRenderer

    started = time.perf_counter()
    renderer = StreamRenderer(
        avatar=assets,
        config=StreamConfig(width=720, height=1280, fps=30, medium="video"),
        stream_id=f"bench-short-{n}",
        consent=ConsentReference("cg_bench", hashlib.sha256(b"bench").hexdigest()),
        signer=SegmentSigner(chain_path=pki.chain, key_path=pki.signing_key, trust_anchor_path=pki.root_cert),
        watermark_key=KEY,
        content_producer=PRODUCER,
    )
    plan = renderer.plan([ScriptLine(*args) for args in LINES_ARGS])
    planned = time.perf_counter()
    video = render_short_video(renderer, plan, video_id=f"bench-short-{n}")
    done = time.perf_counter()
    return {
        "duration": video.duration_s,
        "frames": video.frame_count,
        "setup_plan": planned - started,
        "render": done - planned,
        "total": done - started,
        "size": video.size,
        "timings": video.timings,
    }


def run() -> str:
    from render.engine.devcerts import make_development_chain

    with tempfile.TemporaryDirectory() as tmp_name:
        pki = make_development_chain(Path(tmp_name) / "pki")
        built = time.perf_counter()
        assets = _avatar()
        build_s = time.perf_counter() - built
        _once(assets, pki, 0)  # warm-up
        runs = [_once(assets, pki, n + 1) for n in range(RUNS)]
    duration = runs[0]["duration"]
    total = statistics.median(duration / r["total"] for r in runs)
    render = statistics.median(duration / r["render"] for r in runs)
    frames = runs[0]["frames"]
    per_frame = {
        stage: statistics.median(r["timings"].get(stage, 0.0) / frames for r in runs)
        for stage in ("compose", "lipsync", "label", "watermark")
    }
    c2pa_ms = statistics.median(r["timings"]["c2pa"] for r in runs)
    return "\n".join(
        [
            "## Render: short video",
            "",
            f"`render.engine.short_video.render_short_video` on this CPU ({os.cpu_count()} cores, shared, no GPU): a "
            f"{duration:.0f} s 720x1280 30 fps MP4 (spoken disclosure, a Mandarin and an English line; "
            f"{runs[0]['size'] / 1e6:.1f} MB), median of {RUNS} runs after a warm-up, each with a fresh renderer.",
            "",
            "| 720x1280@30 | seconds of video per wall second | wall s |",
            "|---|---|---|",
            f"| end to end (renderer set-up, TTS + plan, frames, x264, AAC, MP4, C2PA) | {total:.2f} | "
            f"{statistics.median(r['total'] for r in runs):.1f} |",
            f"| frames to signed file (after the plan) | {render:.2f} | "
            f"{statistics.median(r['render'] for r in runs):.1f} |",
            "",
            f"Producer-thread stages, ms per frame: compose {per_frame['compose']:.2f}, lip-sync "
            f"{per_frame['lipsync']:.2f}, label {per_frame['label']:.2f}, watermark {per_frame['watermark']:.2f}; "
            f"C2PA over the whole file {c2pa_ms:.0f} ms; avatar build (once, not counted) {build_s:.1f} s.",
        ]
    )


if __name__ == "__main__":
    print(run())

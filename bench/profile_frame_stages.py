"""Per-frame CPU cost of the frame-drawing stages (compose, lip-sync, label, watermark), one thread, no encoder.

    python bench/profile_frame_stages.py [WIDTHxHEIGHT ...]      # default 1280x720 720x1280

Not a benchmark section (bench/run.py runs only bench_*.py): a quick check for work on the frame path. It plans the
benchmark's stream (bench_render_pipeline), draws its first four segments once to fill the body-frame cache, then
draws segments 1-3 twice and prints the mean CPU time per frame and stage. Thread CPU time, not the wall clock, so
the figures hold on a shared, loaded machine well enough to compare two versions run one after the other.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(ROOT / "bench")]


def profile(width: int, height: int) -> dict[str, float]:
    import bench_render_pipeline as bench

    from render.engine.devcerts import make_development_chain
    from render.engine.stream import ScriptLine

    short = min(width, height)
    assets = bench._avatar(short * 16 // 9, short)
    with tempfile.TemporaryDirectory() as tmp:
        renderer = bench._renderer(assets, width, height, make_development_chain(Path(tmp) / "pki"))
    plan = renderer.plan([ScriptLine(*a) for a in bench.LINES_ARGS])
    n = plan.frames_per_segment
    frames = range(min(plan.frame_count, 4 * n))
    for i in frames:
        renderer.frame(plan, i)
    per: dict[str, list[float]] = {}
    for _ in range(2):
        for i in frames[n:]:
            timings: dict[str, float] = {}
            started = time.thread_time()
            renderer.frame(plan, i, timings)
            timings["total"] = (time.thread_time() - started) * 1000
            for k, v in timings.items():
                per.setdefault(k, []).append(v)
    return {k: statistics.mean(v) for k, v in per.items()}


if __name__ == "__main__":
    import os

    sizes = [tuple(int(x) for x in a.split("x")) for a in sys.argv[1:]] or [(1280, 720), (720, 1280)]
    for w, h in sizes:
        stages = profile(w, h)
        shown = "  ".join(f"{k} {v:.2f}" for k, v in stages.items())
        print(f"{w}x{h}: CPU ms/frame  {shown}  (load {os.getloadavg()[0]:.1f})", flush=True)

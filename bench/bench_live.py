"""Benchmark: the live runner's real-time figures (docs/live-runner.md, issue #12's targets). Parts, each a function:

- `concurrent(n)`: n streams rendered in real time side by side at 720x1280 30 fps (one process each, as n render
  workers' runners on one machine), each pacing its segments to the wall clock with the runner's one-segment
  lookahead: late segments per stream over `seconds`, next to the single-stream pipeline speed (segments rendered
  unpaced, same run) and the CPU core-hours per stream-hour the CPU time implies. `sweep(max_n)` runs it for 1, 2, ...
  streams and reports how many keep real time (no late segment; target ≥ 3).
- `interjection(trials)`: an operator's "at once" line → its first audio at a real nginx-rtmp viewer, p50/p95
  (target p95 ≤ 1.5 s): one 720x1280 stream rendered and paced the runner's way (a part of 6 frames at a time, 1.2 s
  ahead of the wall clock, the line cut in with `append(cut=True, at_frame=...)` at the next frame not rendered,
  the interrupted line said again from the next segment), the line sent at a random moment, the viewer noting when
  the first audio packet at or after the line's start arrives; next to it, the same with whole segments rendered one
  segment ahead (the runner's way before parts).
- `revocation(trials)`: the stop → end slate latency at a real nginx-rtmp viewer through the runner's own output
  path (LiveOutput + RtmpPusher, paced, the end slate rendered in advance): the stop check flips at a random point
  of a segment, the viewer notes when the first end-slate frame arrives. The database read the check makes in
  production (one indexed row) is not included; the runner test measures the whole path once with a real revocation.
- `takeover(trials)`: worker killed (SIGKILL) → the stream continues from another worker (target ≤ 10 s): runs the test
  with two real `celery worker` processes and a beat (needs PostgreSQL and Redis: DATABASE_URL, REDIS_URL) and reads
  the seconds it measured from kill to claim and to the first segment the other worker published.
- `soak(seconds)`: one stream rendered as fast as it can for `seconds`, its plan grown and trimmed the runner's way:
  A/V drift at the end (video frames vs audio samples; target ≤ 1 frame) and RSS growth after warm-up (≤ 5 %).

`python bench/bench_live.py [--streams N] [--seconds S] [--trials T] [--soak S] [--no-takeover]` prints a Markdown
section; `run()` returns it. The full sizes (the defaults: up to 4 streams x 300 s, 20 trials, 30-minute soak, the
takeover) take about an hour: only on a quiet machine. `--quick` proves every part works in a few minutes (1 stream x
6 s, 2 trials, a 20 s soak, no takeover: it needs the Celery workers).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _audio_viewer import AudioViewer  # noqa: E402

sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

KEY = b"benchmark-watermark-key-00000000"
PRODUCER = "0011911101080000000000" + "10001"
WIDTH, HEIGHT, FPS = 720, 1280, 30
LINES = (
    ("l1", "大家好，欢迎来到直播间，今天给大家带来新品", "zh", "greet"),
    ("l2", "Tap follow so you do not miss the next deal.", "en", "follow"),
)


def _renderer(stream_id: str, pki_dir: Path, width: int = WIDTH, height: int = HEIGHT, voice: str = "espeak") -> Any:
    from render.engine.avatar import GestureMark, build_avatar
    from render.engine.avatar.sample import TalkingPortrait
    from render.engine.c2pa_sign import ConsentReference, SegmentSigner
    from render.engine.devcerts import make_development_chain
    from render.engine.stream import StreamConfig, StreamRenderer

    short = min(width, height)  # a landscape sample; a portrait stream is framed from it (as bench_render_pipeline)
    size = (short * 16 // 9, short)
    clip = TalkingPortrait(seconds=5.0, fps=25.0, size=size, closed=((0.0, 2.5),), gestures=((3.0, 4.0),))
    assets = build_avatar([clip[i] for i in range(len(clip))], 25.0, marks=[GestureMark("greet", 3.0, 4.0)])
    pki = make_development_chain(pki_dir / stream_id)  # one per stream: processes run side by side
    return StreamRenderer(
        avatar=assets,
        config=StreamConfig(width=width, height=height, fps=FPS, tts_backend=voice),
        stream_id=stream_id,
        consent=ConsentReference("cg_bench", hashlib.sha256(b"bench").hexdigest()),
        signer=SegmentSigner(chain_path=pki.chain, key_path=pki.signing_key, trust_anchor_path=pki.root_cert),
        watermark_key=KEY,
        content_producer=PRODUCER,
    )


def _plan(renderer: Any, segments: int) -> Any:
    from render.engine.stream import ScriptLine

    plan = renderer.plan([ScriptLine(*LINES[0])])
    n = 0
    while plan.segment_count < segments:  # the runner's way: one line per block
        line = LINES[n % len(LINES)]
        plan = renderer.append(plan, [ScriptLine(f"{line[0]}.{n}", *line[1:])], not_before=plan.segment_count - 1)
        n += 1
    return plan


def _grow(renderer: Any, plan: Any, sequence: int, counter: list[int]) -> Any:
    """The runner's growth at `sequence`: one line per block until the plan covers the next segment, then the blocks
    it no longer needs trimmed (streaming.runner.plan_blocks' rule: CONTEXT_BLOCKS before the block on air)."""
    from render.engine.stream import CONTEXT_BLOCKS, ScriptLine

    while plan.segment_count <= sequence + 1:
        line = LINES[counter[0] % len(LINES)]
        plan = renderer.append(plan, [ScriptLine(f"{line[0]}.{counter[0]}", *line[1:])], not_before=sequence)
        counter[0] += 1
    on_air = [i for i, (first, _) in enumerate(plan.blocks) if first <= sequence]
    head = (on_air[-1] if on_air else 0) - CONTEXT_BLOCKS
    cut_ins = {sequence for sequence, _, _ in plan.cuts}  # a cut-in cannot head a plan
    while head > 0 and plan.blocks[head][0] in cut_ins:
        head -= 1
    if head > 0 and plan.blocks[head][0] > plan.base_segment:
        plan = renderer.trim(plan, plan.blocks[head][0])
    return plan


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# -- concurrent streams ------------------------------------------------------------------------------------------
def _one_stream(index: int, seconds: float, pki_dir: str, results: Any) -> None:
    renderer = _renderer(f"bench-live-{index}", Path(pki_dir))
    segments = int(seconds // 2)
    plan = _plan(renderer, segments + 1)
    renderer.init_segment()
    lookahead = 2.0  # one segment ahead, as LIVE_LOOKAHEAD_SEGMENTS=1
    started = time.monotonic()
    cpu0 = time.process_time()
    late = 0
    previous = None
    worst = 0.0
    for n in range(segments):
        due = started + n * 2.0 + lookahead  # on air
        wait = due - lookahead - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        result = renderer.render_segment(plan, n, previous_manifest_id=previous)
        previous = result.record.manifest_id
        behind = time.monotonic() - due
        worst = max(worst, behind)
        late += behind > 0
    results.put((index, segments, late, worst, time.process_time() - cpu0, time.monotonic() - started))


def _pipeline_fps(pki_dir: Path, segments: int = 3) -> float:
    renderer = _renderer("bench-live-single", pki_dir)
    plan = _plan(renderer, segments)
    renderer.init_segment()
    previous = None
    t = time.perf_counter()
    for n in range(segments):
        previous = renderer.render_segment(plan, n, previous_manifest_id=previous).record.manifest_id
    return segments * 2 * FPS / (time.perf_counter() - t)


def concurrent(streams: int, seconds: float) -> list[str]:
    return _concurrent(streams, seconds)[0]


def _concurrent(streams: int, seconds: float) -> tuple[list[str], int]:
    with tempfile.TemporaryDirectory() as tmp:
        fps = _pipeline_fps(Path(tmp))
        ctx = multiprocessing.get_context("spawn")
        results = ctx.Queue()
        workers = [ctx.Process(target=_one_stream, args=(i, seconds, tmp, results)) for i in range(streams)]
        for w in workers:
            w.start()
        rows = [results.get(timeout=seconds * 20 + 600) for _ in workers]
        for w in workers:
            w.join()
    lines = [
        f"Single-stream pipeline, same run: {fps:.1f} fps ({fps / FPS:.2f}x real time) at {WIDTH}x{HEIGHT} {FPS} fps.",
        "",
        "| stream | segments | late | worst lateness (s) | CPU s / stream s |",
        "|---|---|---|---|---|",
    ]
    cpu_per_stream_s = []
    for index, segments, late, worst, cpu, wall in sorted(rows):
        cpu_per_stream_s.append(cpu / max(wall, 1e-9))
        lines.append(f"| {index} | {segments} | {late} | {max(worst, 0):.2f} | {cpu / max(wall, 1e-9):.2f} |")
    lines += [
        "",
        f"{streams} concurrent streams: {sum(r[2] for r in rows)} late segments in total; CPU core-hours per "
        f"stream-hour about {statistics.mean(cpu_per_stream_s):.2f} (process CPU time over wall time).",
    ]
    return lines, sum(r[2] for r in rows)


# -- revocation -> end slate ----------------------------------------------------------------------------------------
def revocation(trials: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from render.engine.slate import render_slate_segment
    from streaming.live.output import LiveOutput, Outgoing
    from streaming.live.rtmp import RtmpPusher
    from tests.streaming.live.nginx_rtmp import MODULE, NginxRtmp, free_port
    from tests.streaming.runner.timed_viewer import TimedViewer

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not (os.access(nginx, os.X_OK) and MODULE.exists()):
        return ["Revocation → end slate: not run (nginx with the RTMP module is missing)."]
    latencies = []
    with tempfile.TemporaryDirectory() as tmp:
        renderer = _renderer("bench-live-revocation", Path(tmp) / "pki", 1280, 720)
        plan = _plan(renderer, 4)
        init = renderer.init_segment()
        media, previous = [], None
        for n in range(3):
            result = renderer.render_segment(plan, n, previous_manifest_id=previous)
            media.append(result.data)
            previous = result.record.manifest_id
        end_slate = render_slate_segment(renderer, kind="ended", sequence=0, previous_manifest_id=None).data
        prefix = Path(tmp) / "nginx"
        prefix.mkdir()
        server = NginxRtmp(nginx, prefix, free_port())
        server.start()
        try:
            for trial in range(trials):
                url = server.url(f"sk_bench_revoke_{trial:03d}")
                stop = threading.Event()
                output = LiveOutput(
                    lambda on_outage, url=url: RtmpPusher(url, init_segment=init.data, on_outage=on_outage),
                    should_stop=lambda stop=stop: "consent_revoked" if stop.is_set() else "",
                    end_slate=end_slate,
                ).start()
                with TimedViewer(url) as viewer:
                    now = time.monotonic()
                    for n, data in enumerate(media):
                        output.send(Outgoing(n, data, now + 2 * n, 2.0))
                    viewer.wait(lambda seen: len(seen.frames) >= 15, timeout=20)
                    time.sleep(random.uniform(0.0, 2.0))  # noqa: S311 - a random point of a segment
                    stop.set()
                    flipped = time.monotonic()
                    viewer.wait(lambda seen: seen.first_slate_at() is not None, timeout=10)
                    output.close()
                at = viewer.seen.first_slate_at()
                if at is not None:
                    latencies.append(at - flipped)
        finally:
            server.stop()
    if not latencies:
        return ["Revocation → end slate: no trial saw the end slate."]
    return [
        f"Revocation → end slate at the RTMP viewer over {len(latencies)} trial(s): median "
        f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s (target: max ≤ 2 s over 20 trials).",
    ]


def sweep(max_streams: int, seconds: float) -> list[str]:
    """1, 2, ... `max_streams` concurrent streams until one count has a late segment: how many keep real time."""
    lines: list[str] = []
    sustained = 0
    for n in range(1, max_streams + 1):
        table, late = _concurrent(n, seconds)
        lines += [f"### {n} concurrent stream(s)", "", *table, ""]
        if late:
            break
        sustained = n
    lines.append(
        f"Concurrent 720x1280 30 fps streams kept in real time (no late segment over {seconds:.0f} s): "
        f"{sustained} (target ≥ 3; tried up to {max_streams})."
    )
    return lines


# -- "at once" interjection -> first audio at the viewer -----------------------------------------------------------
PART_FRAMES = 6  # the runner's default (VERACAST_LIVE_PART_FRAMES)
AHEAD_S = 1.2  # the runner's default (VERACAST_LIVE_AHEAD_MS)
INTERJECTION = "Sorry, one moment please."


def interjection(trials: int, voice: str = "espeak") -> list[str]:
    """The runner's way now (a part at a time, the line cut in at the next frame not rendered) next to the whole-
    segment way it replaced (the line cut in before the next segment, rendered one segment ahead), same run, in
    `voice` (the TTS backend: espeak-ng, or kokoro, the platform's default neural voice)."""
    lines = []
    for part_frames in (PART_FRAMES, 0):
        lines += _interjection(trials, part_frames, voice)
    return lines


def _interjection(trials: int, part_frames: int, voice: str) -> list[str]:
    from render.engine.live_segment import LiveSegment
    from render.engine.stream import ScriptLine
    from streaming.live.output import LiveOutput, Outgoing
    from streaming.live.rtmp import RtmpPusher
    from tests.streaming.live.nginx_rtmp import MODULE, NginxRtmp, free_port

    name = f"a part ({part_frames} frames) at a time, {AHEAD_S:g} s ahead" if part_frames else "whole segments"
    name += f", {voice}"
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not (os.access(nginx, os.X_OK) and MODULE.exists()):
        return ["Interjection (at once) → first audio: not run (nginx with the RTMP module is missing)."]
    ahead = AHEAD_S if part_frames else 2.0  # whole segments: one segment ahead, as LIVE_LOOKAHEAD_SEGMENTS=1
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        renderer = _renderer("bench-live-interjection", Path(tmp) / "pki", voice=voice)
        counter = [0]
        plan = _grow(renderer, renderer.plan([ScriptLine(*LINES[0])]), 0, counter)
        init = renderer.init_segment()
        prefix = Path(tmp) / "nginx"
        prefix.mkdir()
        server = NginxRtmp(nginx, prefix, free_port())
        server.start()
        url = server.url("sk_bench_interject")
        output = LiveOutput(
            lambda on_outage: RtmpPusher(url, init_segment=init.data, on_outage=on_outage),
            should_stop=lambda: "",
            end_slate=b"",
            # Every segment goes out, however late (a loaded machine): the viewer's audio times then stay the
            # stream's own, and lateness shows in the latency instead of as a line never heard.
            stale_after_s=float("inf"),
            queue_size=64,
        )
        pending: list[float] = []  # when the operator sent the line
        heard: list[tuple[float, float]] = []  # (sent at, the line's start in stream time)
        behind: list[float] = []  # how late the loop was against its schedule when it cut in
        restart: list[ScriptLine] = []  # the runner says the interrupted line again from the next segment
        try:
            with AudioViewer(url) as viewer:
                output.start()
                t0 = time.monotonic()
                n = 0
                warm = int(plan.disclosure_span[1] // 2) + 2  # the disclosure is never cut: send after it
                next_send = t0 + 2.0 * warm + random.uniform(0.0, 2.0)  # noqa: S311

                def operator(now: float) -> None:
                    nonlocal next_send
                    if len(heard) + len(pending) < trials and now >= next_send:
                        pending.append(next_send)
                        next_send = math.inf  # one line at a time: the next is scheduled once this one is cut in

                def cut_in(at: float, frame: int | None) -> None:
                    nonlocal plan, next_send
                    sent = pending.pop()
                    line = ScriptLine(f"op-{len(heard)}", INTERJECTION, "en", "idle")
                    cuts = len(plan.cuts)
                    plan = renderer.append(plan, [line], not_before=n, cut=True, at_frame=frame)
                    heard.append((sent, plan.line_spans[line.line_id][0]))
                    behind.append(max(0.0, time.monotonic() - at))
                    restart.extend(ScriptLine(f"{c[1]}~{n}", *_line_of(c[1])[1:]) for c in plan.cuts[cuts:])
                    next_send = t0 + 2.0 * (n + 4) + random.uniform(0.0, 2.0)  # noqa: S311

                while len(heard) < trials or (heard and viewer.first_at_or_after(heard[-1][1]) is None):
                    if n > warm + trials * 8 + 20:
                        break  # a viewer that sees nothing must not hold the bench
                    due = t0 + 2.0 * n + ahead  # on air
                    while time.monotonic() < due - ahead:  # pace; the operator may send meanwhile
                        operator(time.monotonic())
                        time.sleep(0.005)
                    operator(time.monotonic())
                    if restart:
                        plan = renderer.append(plan, restart[:], not_before=n)
                        restart.clear()
                    if pending and not part_frames:
                        cut_in(due - ahead, None)
                    plan = _grow(renderer, plan, n, counter)
                    previous = None if n == 0 else "chain"
                    if not part_frames:
                        result = renderer.render_segment(plan, n, previous_manifest_id=previous)
                        output.send(Outgoing(n, result.data, due, 2.0))
                        n += 1
                        continue
                    live = LiveSegment(renderer, plan, n, previous_manifest_id=previous)
                    first, cut_made = live.next_frame, False
                    while not live.done:
                        offset = (live.next_frame - first) / FPS
                        while time.monotonic() < due + offset - ahead:
                            operator(time.monotonic())
                            time.sleep(0.005)
                        operator(time.monotonic())
                        if pending and not cut_made:
                            cut_in(due + offset - ahead, live.next_frame)
                            live.replan(plan)
                            cut_made = True
                        part = live.render(part_frames)
                        output.send(
                            Outgoing(n, b"", due + offset, len(part.video) / FPS, part=part, ends_segment=live.done)
                        )
                    live.finish(wall_clock_start=None)  # muxed and signed, as the runner publishes it
                    n += 1
                time.sleep(3.0)
                for sent, start_s in heard:
                    at = viewer.first_at_or_after(start_s - 0.03)
                    if at is not None:
                        latencies.append(at - sent)
        finally:
            output.close()
            server.stop()
    if not latencies:
        last = viewer.packets[-1][1] if viewer.packets else None
        return [
            f"Interjection (at once, {name}) → first audio: no trial was heard at the viewer ({len(viewer.packets)} "
            f"audio packets, the last at {last} s; the lines started at {[round(h[1], 2) for h in heard]} s)."
        ]
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    how = (
        "cut in at the next frame not rendered yet, which is due on air about the ahead time later"
        if part_frames
        else "cut in before the next segment is rendered, which airs one segment (2 s) of lookahead later"
    )
    return [
        f"Interjection (at once, {name}) → its first audio at the RTMP viewer over {len(latencies)} trial(s): p50 "
        f"{statistics.median(latencies):.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s (target: p95 ≤ 1.5 s). "
        f"It is {how}; the render loop was up to {max(behind):.1f} s behind real time when it cut in (a machine "
        "that does not keep real time adds that).",
    ]


def _line_of(line_id: str) -> tuple[str, str, str, str]:
    """The bench's script line (or interjection) a (cut) line id names (`_grow` numbers them "<id>.<n>")."""
    if line_id.startswith("op-"):
        return ("op", INTERJECTION, "en", "idle")
    base = line_id.split(".", 1)[0]
    return next(line for line in LINES if line[0] == base)


# -- worker kill -> continue --------------------------------------------------------------------------------------
TAKEOVER_TEST = "tests/streaming/runner/test_a_killed_celery_worker_s_stream_is_claimed_by_another_within_10_s.py"


def takeover(trials: int = 5) -> list[str]:
    """The killed-worker test (two real `celery worker` processes and a beat, SIGKILL on the one holding the lease)
    run `trials` times in a subprocess; each run writes what it measured to VERACAST_BENCH_TAKEOVER_JSON."""
    import json

    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        return ["Worker killed → continue: not run (needs DATABASE_URL and REDIS_URL: PostgreSQL and Redis)."]
    claims: list[float] = []
    resumes: list[float] = []
    failed = 0
    for _ in range(trials):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "takeover.json"
            env = {**os.environ, "VERACAST_BENCH_TAKEOVER_JSON": str(out), "REQUIRE_SERVICES": "1"}
            done = subprocess.run(
                [sys.executable, "-m", "pytest", TAKEOVER_TEST, "-q", "-p", "no:cacheprovider"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            if not out.exists():
                tail = (done.stdout + done.stderr)[-400:].replace("\n", " ")
                return [f"Worker killed → continue: the test did not measure (exit {done.returncode}): {tail}"]
            measured = json.loads(out.read_text())
        claims.append(measured["claimed_after_s"])
        resumes.append(measured["resumed_after_s"])
        failed += done.returncode != 0
    return [
        f"Worker killed (SIGKILL) → another worker's claim median {statistics.median(claims):.1f} s, max "
        f"{max(claims):.1f} s; its first segment published median {statistics.median(resumes):.1f} s, max "
        f"{max(resumes):.1f} s after the kill, over {trials} run(s) of the two-worker test (target ≤ 10 s; "
        f"{failed} run(s) failed)."
    ]


# -- soak ------------------------------------------------------------------------------------------------------------
def soak(seconds: float) -> list[str]:
    """One stream as fast as it renders for `seconds`: A/V drift at the end and RSS growth after warm-up."""
    from render.engine.stream import ScriptLine

    with tempfile.TemporaryDirectory() as tmp:
        renderer = _renderer("bench-live-soak", Path(tmp) / "pki")
        counter = [0]
        plan = renderer.plan([ScriptLine(*LINES[0])])
        video_frames = audio_samples = 0
        started = time.monotonic()
        warm_until = started + min(60.0, seconds / 10)
        rss_warm = rss_peak_plan = 0.0
        n = 0
        previous = None
        while time.monotonic() - started < seconds or n < 3:
            plan = _grow(renderer, plan, n, counter)
            result = renderer.render_segment(plan, n, previous_manifest_id=previous)
            previous = result.record.manifest_id
            video_frames += result.record.video_frames
            audio_samples += result.record.audio_samples
            rss_peak_plan = max(rss_peak_plan, plan.pcm.nbytes / 1e6)
            n += 1
            if not rss_warm and time.monotonic() >= warm_until:
                rss_warm = _rss_mb()
        rss_end = _rss_mb()
        wall = time.monotonic() - started
    drift_frames = abs(video_frames / FPS - audio_samples / 48_000) * FPS
    growth = (rss_end - rss_warm) / rss_warm * 100 if rss_warm else float("nan")
    return [
        f"Soak: one 720x1280 stream rendered as fast as it can for {wall:.0f} s ({n} segments, {n * 2 / wall:.2f}x "
        f"real time): A/V drift at the end {drift_frames:.2f} frame(s) (target ≤ 1); RSS {rss_warm:.0f} MB after "
        f"warm-up, {rss_end:.0f} MB at the end ({growth:+.1f} %, target ≤ 5 %); the plan's audio never above "
        f"{rss_peak_plan:.1f} MB (trimmed as the runner trims it).",
    ]


def run(
    streams: int = 4,
    seconds: float = 300.0,
    trials: int = 20,
    soak_seconds: float = 1800.0,
    with_takeover: bool = True,
    voice: str = "espeak",
) -> str:
    started = time.perf_counter()
    lines = ["## Live runner (bench/bench_live.py)", ""]
    lines += sweep(streams, seconds)
    lines += ["", *interjection(trials, voice), "", *revocation(trials), ""]
    lines += takeover() if with_takeover else ["Worker killed → continue: not run (--no-takeover / --quick)."]
    lines += ["", *soak(soak_seconds)]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += [
        "",
        f"Sizes: up to {streams} stream(s) x {seconds:.0f} s, {trials} interjection and revocation trial(s), "
        f"{soak_seconds:.0f} s soak; run took {time.perf_counter() - started:.0f} s, parent peak RSS {rss:.0f} MB.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=4, help="the most concurrent streams to try")
    parser.add_argument("--seconds", type=float, default=300.0, help="how long each concurrent run lasts")
    parser.add_argument("--trials", type=int, default=20, help="interjection and revocation trials")
    parser.add_argument("--soak", type=float, default=1800.0, help="soak seconds (30 minutes by default)")
    parser.add_argument("--no-takeover", action="store_true", help="skip the killed-worker part (Celery)")
    parser.add_argument("--quick", action="store_true", help="every part at a size that proves it works")
    parser.add_argument("--voice", choices=("espeak", "kokoro"), default="espeak", help="the TTS of the interjections")
    parser.add_argument("--only-interjection", action="store_true", help="only the at-once interjection part")
    args = parser.parse_args()
    if args.only_interjection:
        print("\n".join(interjection(args.trials, args.voice)))
    elif args.quick:
        print(run(1, 6.0, 2, 20.0, with_takeover=False, voice=args.voice))
    else:
        print(run(args.streams, args.seconds, args.trials, args.soak, not args.no_takeover, args.voice))

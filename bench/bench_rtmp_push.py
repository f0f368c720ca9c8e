"""Benchmark: the RTMP push of a rendered stream (streaming/live/rtmp.py), remux only.

`python bench/bench_rtmp_push.py` prints a Markdown section; `run()` returns it.

Media: SEGMENTS segments of 2 s at 720x1280 30 fps, 2.5 Mbps H.264 + 128 kbps AAC, made by the engine's own encoder
(render.engine.encode.IndependentSegmentEncoder) from moving noise, so the packets are the size a live stream's are.
Baseline in the same run: what encoding one of those segments costs (what a second, re-encoding output would add).
Measured: (1) remux per segment: the pusher's read of the segment's track runs and FFmpeg's FLV mux into memory,
no network; (2) a push of all segments to a private nginx-rtmp on loopback with pacing off (as fast as the ingest
takes them), connection and handshake included, per segment and as a multiple of real time. Without nginx and its
RTMP module (2) is reported as not run.
"""

from __future__ import annotations

import io
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from render.engine.encode import EncoderSettings, IndependentSegmentEncoder  # noqa: E402
from render.engine.metadata import AigcLabel  # noqa: E402
from streaming.live import RtmpPusher  # noqa: E402

SEGMENTS = 6
REMUX_ROUNDS = 5
MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


def _media() -> tuple[bytes, list[bytes], list[float]]:
    settings = EncoderSettings(width=720, height=1280, fps=30, segment_seconds=2, video_bitrate=2_500_000)
    label = AigcLabel(ContentProducer="001191110108000000000010001", ProduceID="bench-rtmp-0001")
    encoder = IndependentSegmentEncoder(settings, metadata={"AIGC": label.to_json()})
    rng = np.random.default_rng(7)
    base = rng.integers(0, 255, (1280 * 3 // 2, 720), dtype=np.uint8)
    segments, encode_ms = [], []
    for sequence in range(SEGMENTS):
        first = sequence * settings.frames_per_segment
        frames = [np.roll(base, 3 * i, axis=1) for i in range(first, first + settings.frames_per_segment)]
        start, end = encoder.audio_span(sequence)
        t = np.arange(start, end) / settings.sample_rate
        pcm = np.repeat((0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None], 2, axis=1)
        began = time.perf_counter()
        segments.append(encoder.encode_segment(sequence, frames, pcm).data)
        encode_ms.append((time.perf_counter() - began) * 1000)
    return encoder.init_segment, segments, encode_ms


def _remux_ms(init: bytes, segments: list[bytes]) -> list[float]:
    """The pusher's read of the track runs + FLV mux into memory, per segment."""
    import av

    pusher = RtmpPusher("rtmp://127.0.0.1:1/live/bench", init_segment=init, pace=False)
    times = []
    for _ in range(REMUX_ROUNDS):
        sink = io.BytesIO()
        with av.open(sink, "w", format="flv") as out:
            video = out.add_stream_from_template(pusher._template.streams.video[0])
            audio = out.add_stream_from_template(pusher._template.streams.audio[0])
            out.metadata["AIGC"] = pusher.aigc.to_json()
            out.start_encoding()
            for segment in segments:
                began = time.perf_counter()
                for p in pusher._demux(segment):
                    packet = p.packet
                    ticks = round(p.time / packet.time_base)  # segments in order: their own times
                    packet.dts = packet.pts = ticks
                    packet.stream = video if p.video else audio
                    out.mux_one(packet)
                times.append((time.perf_counter() - began) * 1000)
    pusher.close()
    return times


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _push(init: bytes, segments: list[bytes]) -> tuple[float, list[float]] | str:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists() or not MODULE.exists():
        return "not run: nginx or its RTMP module is missing (scripts/ensure-system-deps test installs them)"
    prefix = Path(tempfile.mkdtemp(prefix="bench-rtmp-"))
    port = _free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"load_module {MODULE};\ndaemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'};\nevents {{ worker_connections 64; }}\n"
        f"rtmp {{ server {{ listen 127.0.0.1:{port}; application live {{ live on; meta copy; }} }} }}\n"
    )
    server = subprocess.Popen([nginx, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    return "not run: nginx did not start"
                time.sleep(0.05)
        began = time.perf_counter()
        pusher = RtmpPusher(f"rtmp://127.0.0.1:{port}/live/bench", init_segment=init, pace=False)
        per = []
        for segment in segments:
            t = time.perf_counter()
            pusher.push(segment)
            per.append((time.perf_counter() - t) * 1000)
        pusher.close()
        return (time.perf_counter() - began) * 1000, per
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)


def run() -> str:
    init, segments, encode_ms = _media()
    remux = sorted(_remux_ms(init, segments))
    pushed = _push(init, segments)
    size = statistics.mean(len(s) for s in segments) / 1024
    mbps = size * 1024 * 8 / 2 / 1e6
    lines = [
        "## RTMP push (remux of the published segments, streaming/live)",
        "",
        f"{SEGMENTS} segments of 2 s, 720x1280 30 fps, {size:.0f} KiB each ({mbps:.1f} Mbps of H.264 + AAC: "
        "moving noise fills the 2.5 Mbps setting and its VBV buffer, a worst case for the packet sizes).",
        "",
        "| measure | per 2 s segment |",
        "| --- | --- |",
        f"| baseline: encoding the segment (x264 + AAC, same run) | {statistics.median(encode_ms):.0f} ms |",
        f"| remux: track-run read + FLV mux in memory, p50 / max of {len(remux)} | "
        f"{statistics.median(remux):.1f} / {remux[-1]:.1f} ms |",
    ]
    if isinstance(pushed, str):
        lines.append(f"| push to nginx-rtmp on loopback, no pacing | {pushed} |")
    else:
        total, per = pushed
        seconds = 2 * SEGMENTS
        lines.append(
            f"| push to nginx-rtmp on loopback, no pacing (connect included) | p50 {statistics.median(per):.1f} ms; "
            f"{SEGMENTS} segments in {total:.0f} ms = {seconds * 1000 / total:.0f}x real time |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())

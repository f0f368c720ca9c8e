"""Benchmark: the public clip check on a 10 s 720p clip, end to end as the web tier runs it.

`python bench/bench_clip_check.py` prints a Markdown section (this benchmark does not write docs/benchmarks.md by
itself; `python bench/run.py clip_check` would). The clip is the watermark benchmark's marked stream (a face
photograph that drifts and zooms, 720p25, five 2 s segments; tests/render/engine/watermark/media.py) re-encoded by
ffmpeg's x264 at 2 Mbit/s, as a re-upload would be. What is timed is what `render.clip_check.check_clip` waits for:
the child process `python -m render.engine.clip_probe` (interpreter start, imports, container probe, decoding every
frame, watermark detection, C2PA read). The stream lookup that follows is one indexed query and is left out. Also
reported: the same probe in-process (no process start) and an unmarked clip of the same size.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from render.engine.clip_probe import probe  # noqa: E402
from render.engine.devcerts import make_development_chain  # noqa: E402
from tests.render.engine.watermark.media import KEY, face_frames, marked_stream, write_clip  # noqa: E402

SECONDS = 10
FPS = 25
RUNS = 3
ROOT = Path(__file__).resolve().parents[1]


def _reencode(source: Path, target: Path) -> Path:
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(source),
            "-c:v",
            "libx264",
            "-b:v",
            "2M",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            str(target),
        ],
        check=True,
    )
    return target


def _child(clip: Path, key_file: Path, anchor: Path) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "render.engine.clip_probe",
            str(clip),
            "--key-file",
            str(key_file),
            "--trust-anchor",
            str(anchor),
        ],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start, json.loads(done.stdout)


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="veracast-bench-clip-") as scratch:
        tmp = Path(scratch)
        frames = face_frames(SECONDS * FPS, fps=FPS)
        marked = _reencode(write_clip(marked_stream(frames, fps=FPS), tmp / "marked-src.mp4", fps=FPS), tmp / "m.mp4")
        plain = _reencode(write_clip(frames, tmp / "plain-src.mp4", fps=FPS), tmp / "p.mp4")
        key_file = tmp / "watermark.key"
        key_file.write_text(KEY.hex())
        anchor = make_development_chain(tmp / "certs").root_cert

        child = [_child(marked, key_file, anchor) for _ in range(RUNS)]
        found = child[0][1]
        assert found["ok"], found
        assert found["watermark"]["found"], found  # type: ignore[index]
        unmarked = [_child(plain, key_file, anchor) for _ in range(RUNS)]
        assert not unmarked[0][1]["watermark"]["found"]  # type: ignore[index]
        in_process = []
        for _ in range(RUNS):
            start = time.perf_counter()
            probe(str(marked), key=KEY, trust_anchor_pem=anchor.read_text(), max_frames=1500, max_pixels=3840 * 2160)
            in_process.append(time.perf_counter() - start)
        text = tmp / "notes.txt"
        text.write_text("not a video\n")
        start_only = [_child(text, key_file, anchor)[0] for _ in range(RUNS)]

    median = statistics.median
    return "\n".join(
        [
            "## Public clip check",
            "",
            f"A {SECONDS} s 720p25 clip (250 frames, x264 at 2 Mbit/s), median of {RUNS} runs:",
            "",
            "| what | seconds |",
            "|---|---|",
            f"| marked clip, as the web tier waits for it (child process) | {median(t for t, _ in child):.2f} |",
            f"| unmarked clip, same | {median(t for t, _ in unmarked):.2f} |",
            f"| marked clip, probe in-process (no process start) | {median(in_process):.2f} |",
            f"| process start, imports and a refusal (a text file) | {median(start_only):.2f} |",
            "",
            f"Stream found: {found['watermark']['stream_id_hex']}, segments "  # type: ignore[index]
            f"{found['watermark']['sequences']}, z = {found['watermark']['confidence']}.",  # type: ignore[index]
        ]
    )


if __name__ == "__main__":
    print(run())

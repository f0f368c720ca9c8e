"""A worker that dies mid-stream is replaced by a fresh process that renders the next segment on its own: that
segment must be the one a continuous run renders (same pictures, same sound); only the C2PA signature differs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np

from render.engine.c2pa_sign import read_segment, verify_segment_chain
from render.engine.fmp4 import iter_boxes
from tests.render.engine.stream.rendered import STREAM_ID, rendered

ROOT = Path(__file__).resolve().parents[4]
SEQUENCE = 3  # mid-stream: lip-sync, a gesture and speech in it


def _decode(init: bytes, segment: bytes, tmp: Path) -> tuple[list[str], np.ndarray]:
    path = tmp / f"{hashlib.sha256(segment).hexdigest()[:12]}.mp4"
    path.write_bytes(init + segment)
    with av.open(str(path)) as container:
        frames = [hashlib.sha256(f.to_ndarray().tobytes()).hexdigest() for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        audio = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    return frames, audio


def _media_boxes(segment: bytes) -> list[tuple[str, bytes]]:
    """The boxes a player uses (moof, mdat), without the C2PA manifest box and the renamed header."""
    return [(b.kind, segment[b.offset : b.offset + b.size]) for b in iter_boxes(segment) if b.kind in ("moof", "mdat")]


def test_a_fresh_process_renders_the_same_segment_as_the_continuous_run(tmp_path: Path) -> None:
    stream = rendered()
    continuous = (stream.directory / stream.results[SEQUENCE].uri).read_bytes()
    previous = stream.results[SEQUENCE - 1].record.manifest_id
    out = tmp_path / "resumed.m4s"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    done = subprocess.run(
        [sys.executable, "-m", "tests.render.engine.stream.resume_worker", str(stream.assets_path),
         str(stream.pki.root_cert.parent), str(SEQUENCE), previous, str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    resumed = out.read_bytes()
    assert done.stdout.strip().splitlines()[-1] == stream.plan.fingerprint  # the same plan, re-made from the script

    init = (stream.directory / "init.mp4").read_bytes()
    frames_a, audio_a = _decode(init, continuous, tmp_path)
    frames_b, audio_b = _decode(init, resumed, tmp_path)
    assert len(frames_a) == stream.plan.frames_per_segment
    assert frames_a == frames_b  # every decoded picture is bit-identical
    assert audio_a.shape == audio_b.shape
    assert np.array_equal(audio_a, audio_b)
    assert np.abs(audio_a).max() > 0.05  # there is speech in this segment, not just silence
    assert _media_boxes(continuous) == _media_boxes(resumed)  # even the encoded bytes
    assert continuous != resumed  # ...while the signatures differ (time, signature bytes, manifest id)

    reports = [
        read_segment((stream.directory / stream.results[SEQUENCE - 1].uri).read_bytes(),
                     trust_anchor_path=stream.pki.root_cert),
        read_segment(resumed, trust_anchor_path=stream.pki.root_cert),
    ]  # fmt: skip
    assert [r.state for r in reports] == ["Trusted", "Trusted"]
    assert verify_segment_chain(reports, stream_id=STREAM_ID) == []

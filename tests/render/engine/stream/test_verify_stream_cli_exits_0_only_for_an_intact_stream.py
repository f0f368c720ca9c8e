"""`python -m render.engine.verify_stream PLAYLIST --trust-anchor PEM`, run as an auditor runs it: exit 0 for the
stream as published, 1 naming the first problem for a tampered one (also with --json), 2 for a bad trust anchor,
and a sentence, never a traceback, for a corrupt init segment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.render.engine.stream.rendered import STREAM_ID, rendered
from tests.render.engine.stream.tampering import copy_stream

ROOT = Path(__file__).resolve().parents[4]


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    return subprocess.run(
        [sys.executable, "-m", "render.engine.verify_stream", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_cli_accepts_the_published_stream_and_names_a_flipped_byte(tmp_path: Path) -> None:
    stream = rendered()
    playlist = copy_stream(stream, tmp_path / "hls")
    anchor = str(stream.pki.root_cert)

    ok = _verify(str(playlist), "--trust-anchor", anchor)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("Stream verification of index.m3u8: OK")
    assert f"stream id: {STREAM_ID}" in ok.stdout

    segment = playlist.parent / stream.results[1].uri
    data = bytearray(segment.read_bytes())
    data[-800] ^= 0x40
    segment.write_bytes(bytes(data))
    bad = _verify(str(playlist), "--trust-anchor", anchor)
    assert bad.returncode == 1
    assert f"First problem [segment.tampered]: Segment {stream.results[1].uri} (position 1)" in bad.stdout

    as_json = _verify(str(playlist), "--trust-anchor", anchor, "--json")
    assert as_json.returncode == 1
    out = json.loads(as_json.stdout)
    assert out["ok"] is False
    assert out["first_problem"]["code"] == "segment.tampered"
    assert out["first_problem"]["position"] == 1
    assert out["stream_id"] == STREAM_ID


def test_the_cli_reports_a_corrupt_init_as_a_sentence(tmp_path: Path) -> None:
    stream = rendered()
    playlist = copy_stream(stream, tmp_path / "hls")
    (playlist.parent / "init.mp4").write_bytes(b"\x00\x00\x00\x10ftypiso6" + b"\xff" * 40)
    done = _verify(str(playlist), "--trust-anchor", str(stream.pki.root_cert))
    assert done.returncode == 1
    assert "First problem [init.corrupt]: The init segment init.mp4 is corrupt" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_cli_refuses_a_trust_anchor_that_is_not_a_certificate(tmp_path: Path) -> None:
    stream = rendered()
    playlist = copy_stream(stream, tmp_path / "hls")
    not_pem = tmp_path / "anchor.pem"
    not_pem.write_text("hello")
    done = _verify(str(playlist), "--trust-anchor", str(not_pem))
    assert done.returncode == 2
    assert "the trust anchor is not a PEM X.509 certificate" in done.stderr
    missing = _verify(str(playlist), "--trust-anchor", str(tmp_path / "absent.pem"))
    assert missing.returncode == 2
    assert "cannot read the trust anchor" in missing.stderr

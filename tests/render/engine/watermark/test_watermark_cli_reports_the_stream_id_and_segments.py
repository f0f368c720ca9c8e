"""`python -m render.engine.watermark_cli detect FILE --key-file KEY` prints the stream id in hex, the segment
range, the content ids and the confidence with its false-positive bound; "no watermark" for plain video."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from render.engine.watermark import content_id_for, stream_code_for
from tests.render.engine.watermark.media import FPS, KEY, STREAM_ID, source_frames, write_clip

REPO = Path(__file__).resolve().parents[4]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'platform'}"}
    env.pop("VERACAST_WATERMARK_KEY_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "render.engine.watermark_cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )


def _key_file(tmp_path: Path) -> Path:
    path = tmp_path / "wm.key"
    path.write_text(KEY.hex() + "\n")
    return path


def test_the_cli_prints_stream_id_segments_and_confidence(tmp_path):
    video = write_clip(source_frames()[1][30:90], tmp_path / "marked.mp4", fps=FPS)
    result = _cli("detect", str(video), "--key-file", str(_key_file(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert f"stream id: {stream_code_for(STREAM_ID):010x}" in result.stdout
    assert "segments: 0-1" in result.stdout
    assert f"{content_id_for(STREAM_ID, 1):016x}" in result.stdout
    assert "false-positive rate <= " in result.stdout


def test_the_cli_prints_json_on_request(tmp_path):
    video = write_clip(source_frames()[1][55:100], tmp_path / "marked.mp4", fps=FPS)
    result = _cli("detect", str(video), "--key-file", str(_key_file(tmp_path)), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["stream_id_hex"] == f"{stream_code_for(STREAM_ID):010x}"
    assert report["segment_range"] == [1, 1]
    assert report["false_positive_rate"] <= 1e-6


def test_the_cli_says_no_watermark_for_plain_video(tmp_path):
    video = write_clip(source_frames()[0][:40], tmp_path / "plain.mp4", fps=FPS)
    result = _cli("detect", str(video), "--key-file", str(_key_file(tmp_path)))
    assert result.returncode == 1
    assert "no watermark" in result.stdout


def test_the_cli_names_a_missing_key_file(tmp_path):
    result = _cli("detect", str(tmp_path / "x.mp4"), "--key-file", str(tmp_path / "absent.key"))
    assert result.returncode == 2
    assert "absent.key" in result.stderr


def test_the_cli_names_a_key_of_the_wrong_length(tmp_path):
    key_file = tmp_path / "short.key"
    key_file.write_text("abcd\n")
    result = _cli("detect", str(tmp_path / "x.mp4"), "--key-file", str(key_file))
    assert result.returncode == 2
    assert "it must hold exactly 64" in result.stderr

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from render.engine.watermark import content_id_for, embed
from tests.render.engine.synthetic import encode_luma, luma_frames

REPO = Path(__file__).resolve().parents[3]


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


def test_the_cli_prints_the_content_id_in_hex(tmp_path):
    key_file = tmp_path / "wm.key"
    key_file.write_bytes(b"cli-test-key-abcdefghijklmnop\n")
    content_id = content_id_for("cli-stream", 42)
    video = tmp_path / "marked.mp4"
    video.write_bytes(
        encode_luma(embed(luma_frames(30), content_id, b"cli-test-key-abcdefghijklmnop"), bitrate=2_500_000)
    )
    result = _cli("detect", str(video), "--key-file", str(key_file))
    assert result.returncode == 0, result.stderr
    assert f"content id {content_id:016x}" in result.stdout
    assert "sequence 42" in result.stdout


def test_the_cli_says_no_watermark_for_plain_video(tmp_path):
    video = tmp_path / "plain.mp4"
    video.write_bytes(encode_luma(luma_frames(30), bitrate=2_500_000))
    key_file = tmp_path / "wm.key"
    key_file.write_bytes(b"cli-test-key-abcdefghijklmnop\n")
    result = _cli("detect", str(video), "--key-file", str(key_file))
    assert result.returncode == 1
    assert "no watermark" in result.stdout


def test_the_cli_names_a_missing_key_file(tmp_path):
    result = _cli("detect", str(tmp_path / "x.mp4"), "--key-file", str(tmp_path / "absent.key"))
    assert result.returncode == 2
    assert "absent.key" in result.stderr

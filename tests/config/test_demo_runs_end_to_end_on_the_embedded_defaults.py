"""`make demo`'s job runs on the embedded defaults (SQLite, in-process worker, local files) end to end: personas,
a signed consent, an avatar and a 20 s labeled stream, a verified ledger; and it can be repeated."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from audit.event_kinds import EVENT_KINDS
from tests.render.engine.outside_tools import ffprobe_streams

ROOT = Path(__file__).resolve().parents[2]


def run_demo(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "VERACAST_DATA_DIR": str(data_dir),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "demo"],
        env=env,
        capture_output=True,
        text=True,
        # The live part airs about 50 s in real time; the neural voice speaks the script's ~2 minutes once (the
        # engine keeps its speech for the short video and the live loop): 6-8 minutes on a slow 2-core machine.
        timeout=720,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.timeout(1500)  # the demo runs twice (it must be repeatable), each with about 50 s of live air
def test_the_demo_builds_personas_signs_and_verifies_the_ledger(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "summary.json" in first.stdout

    summary = json.loads((tmp_path / "demo" / "summary.json").read_text())
    assert summary["database"].endswith(".sqlite3")
    assert set(summary["personas"]) >= {"alice", "bob", "charlie", "iris", "sam", "audrey"}
    assert summary["personas"]["iris"]["real_name_verified"] is True
    assert summary["ledger"]["verified"] is True
    products = summary["catalog"]["products"]
    assert [p["sku"] for p in products] == ["ACME-LIP-01", "ACME-MUG-02"]
    assert all({f["language"] for f in p["faq"]} == {"zh", "en"} for p in products)
    assert summary["ledger"]["latest_checkpoint"]["key_id"]
    assert (tmp_path / "keys" / "ledger-ed25519.pem").exists()

    render = summary["render"]
    playlist = Path(render["playlist"]).read_text()
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    assert len(render["segments"]) == playlist.count(".m4s") >= 10
    assert render["duration_s"] >= 19.5
    # The job's duration is the playlist's: every segment, the last one's silent tail included.
    assert render["duration_s"] == pytest.approx(sum(float(x) for x in re.findall(r"#EXTINF:([0-9.]+),", playlist)))
    assert Path(render["multivariant_playlist"]).read_text().count("#EXT-X-STREAM-INF:") == 1
    # The run-time side of tests/audit/test_every_recorded_kind_is_catalogued.py: what the demo wrote is catalogued.
    with sqlite3.connect(summary["database"]) as db:
        kinds = {kind for (kind,) in db.execute("SELECT DISTINCT kind FROM audit_ledgerevent")}
    assert "segment.published" in kinds
    assert kinds <= set(EVENT_KINDS), kinds - set(EVENT_KINDS)
    assert all(Path(p).stat().st_size > 0 for p in render["segments"])
    video = next(s for s in ffprobe_streams(Path(render["init_segment"])) if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (720, 1280), "the demo streams portrait, as the live apps show it"
    # The short video of the same approved script: one portrait MP4 whose hash the ledger holds.
    short = summary["short_video"]
    mp4 = Path(short["file"])
    assert hashlib.sha256(mp4.read_bytes()).hexdigest() == short["sha256"]
    short_streams = {s["codec_type"]: s for s in ffprobe_streams(mp4)}
    assert (short_streams["video"]["width"], short_streams["video"]["height"]) == (720, 1280)
    codecs = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", str(mp4)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split()
    assert {"h264", "aac"} <= set(codecs), codecs
    assert short["script"]["script_version_sha256"] == render["script"]["script_version_sha256"]
    assert "short_video.completed" in kinds
    # The stream's compliance report and Acme's auditor bundle, which its own verify.py accepts.
    compliance = summary["compliance"]
    assert Path(compliance["pdf"]).read_bytes().startswith(b"%PDF-")
    assert json.loads(Path(compliance["json"]).read_text())["stream_id"] == render["stream_id"]
    assert compliance["failing_rules"] == [], compliance
    export = summary["export"]
    assert export["verified"] is True, export
    assert Path(export["zip"]).stat().st_size > 0
    assert (Path(export["unpacked"]) / "compliance" / "report.pdf").exists()
    assert "compliance.report_generated" in kinds
    # About 50 s of a live stream: portrait, the interjection and an answer to a comment spoken, the absence pause
    # and its end, ended by bob.
    live = summary["live"]
    assert (live["state"], live["runner"]["status"]) == ("ended", "ended")
    assert live["resolution"] == "720p-portrait"
    assert 26 <= live["duration_s"] <= 70, live["duration_s"]
    assert "holding" in live["slates"].values()
    assert live["interjection"] is not None
    # The platform's default voice, the neural one, speaks Chinese and English lines alike (docs/voice.md).
    assert render["voice"] == short["voice"] == live["voice"] == "kokoro"
    # The comment burst: one answered aloud from the FAQ (in a segment of this stream), one abusive one suppressed.
    comments = live["comments"]
    (answered,) = comments["answered"]
    assert (answered["comment"], answered["state"]) == ("这个口红会掉色吗？", "spoken")
    assert answered["faq_id"]
    assert answered["answer"].endswith("正常饮水不易掉色，用餐后建议补涂。")
    assert 0 < answered["spoken_in_segment"] < live["segments"]
    assert comments["suppressed"] == 1
    assert live["ledger_subject"].startswith("stream:")
    assert {"stream.presence_lapsed", "stream.paused", "stream.resumed", "stream.interjection_spoken"} <= set(
        live["ledger_kinds"]
    )
    archive = Path(live["playlists"]["archive"]).read_text()
    assert archive.rstrip().endswith("#EXT-X-ENDLIST")
    assert archive.count(".m4s") == live["segments"]
    assert Path(live["playlists"]["live"]).read_text().count(".m4s") >= 3
    live_video = next(s for s in ffprobe_streams(Path(live["playlists"]["init_segment"])) if s["codec_type"] == "video")
    assert (live_video["width"], live_video["height"]) == (720, 1280)
    # Keys, the database, the summary and the stream copy hold keys or personal data: nothing for group or others.
    readable = [
        str(p) for p in tmp_path.rglob("*") if p.is_file() and p.stat().st_mode & 0o077 and "static" not in p.parts
    ]
    assert readable == []

    second = run_demo(tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    again = json.loads((tmp_path / "demo" / "summary.json").read_text())
    assert again["personas"]["alice"]["public_id"] == summary["personas"]["alice"]["public_id"]
    assert again["ledger"]["events"] > summary["ledger"]["events"]
    assert again["render"]["job_id"] == render["job_id"], "a second run reuses the finished stream"
    assert again["short_video"]["id"] == short["id"], "and the finished short video"

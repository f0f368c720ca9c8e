"""The rendered stream (C2PA-signed fMP4 segments that start with `ftyp` + the C2PA `uuid` box, not `styp`) plays in
Chromium through the vendored hls.js, served from a plain local HTTP server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from render.engine.c2pa_sign import box_header
from tests.browser import SCREENSHOTS
from tests.render.engine.stream.rendered import rendered

ROOT = Path(__file__).resolve().parents[4]
HLS_JS = ROOT / "render" / "static" / "render" / "vendor" / "hls.min.js"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>stream</title><script src="hls.min.js"></script></head>
<body style="margin:0;background:#000">
<video id="v" muted autoplay playsinline width="1280" height="720"></video>
<script>
  window.hlsErrors = [];
  const video = document.getElementById("v");
  if (!Hls.isSupported()) { window.hlsErrors.push({fatal: true, details: "Hls.isSupported() is false"}); }
  else {
    const hls = new Hls({enableWorker: true});
    hls.on(Hls.Events.ERROR, (_e, data) => window.hlsErrors.push({fatal: data.fatal, type: data.type,
                                                                    details: data.details}));
    hls.loadSource("index.m3u8");
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play());
  }
</script></body></html>
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the stdlib handler reads a class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".m3u8": "application/vnd.apple.mpegurl",
        ".m4s": "video/iso.segment",
        ".mp4": "video/mp4",
        ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    stream = rendered()
    site = tmp_path / "site"
    shutil.copytree(stream.directory, site)
    shutil.copy(HLS_JS, site / "hls.min.js")
    (site / "index.html").write_text(PAGE)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_the_signed_stream_plays_in_chromium_with_hls_js(served: str, browser: Any) -> None:
    stream = rendered()
    # What is being checked: media segments that open with ftyp (the c2pa-rs workaround), then the C2PA uuid box.
    first = (stream.directory / stream.results[0].uri).read_bytes()
    assert box_header(first) == "ftyp"
    assert first[int.from_bytes(first[:4], "big") + 4 :][:4] == b"uuid"

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served)
    page.wait_for_function("document.getElementById('v').currentTime > 2.5 || window.hlsErrors.some(e => e.fatal)")
    state = page.evaluate(
        """() => { const v = document.getElementById('v'); const q = v.getVideoPlaybackQuality();
                   return {time: v.currentTime, ready: v.readyState, decoded: q.totalVideoFrames,
                           dropped: q.droppedVideoFrames, width: v.videoWidth, height: v.videoHeight,
                           errors: window.hlsErrors, audio: v.mozHasAudio ?? null}; }"""
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "render_stream_playing_in_hls_js.png"))
    context.close()
    assert errors == []
    assert [e for e in state["errors"] if e["fatal"]] == [], state["errors"]
    assert state["time"] > 2.0, state
    assert state["ready"] >= 3, state
    assert state["decoded"] > 0, state
    assert (state["width"], state["height"]) == (1280, 720)

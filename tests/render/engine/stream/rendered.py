"""One short rendered stream shared by the stream tests (rendered once per test session, in this process).

720p25 (the smallest setting the platform offers; the label must meet its minimum at the real size), the spoken
disclosure in Mandarin, then a Mandarin greeting and an English call to follow. `rendered_portrait()` is a shorter
720x1280 30 fps stream of the same avatar (framed for portrait from its landscape sample). The avatar is the
synthetic talking astronaut of the avatar tests, round-tripped through its byte format so a fresh process can load
the very same assets (see `resume_worker.py`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from render.engine.avatar import AvatarAssets
from render.engine.c2pa_sign import ConsentReference, SegmentSigner
from render.engine.devcerts import DevelopmentChain, make_development_chain
from render.engine.segment import SegmentResult
from render.engine.stream import ScriptLine, StreamConfig, StreamPlan, StreamRenderer
from tests.render.engine.avatar.sample_avatar import sample_assets

STREAM_ID = "stream-test-0001"
ON_AIR = datetime(2026, 12, 1, 20, 0, 0, 250_000, tzinfo=UTC)  # the wall-clock start of segment 0
KEY = b"stream-test-watermark-key-012345"  # 32 bytes, as the watermark requires
PRODUCER = "0011911101080000000000" + "10001"
CONSENT = ConsentReference("cg_stream_1", hashlib.sha256(b"consent document").hexdigest())
CONFIG = StreamConfig(width=1280, height=720, fps=25, disclosure_languages="zh", label_languages="zh+en")
LINES = (
    ScriptLine("line-1", "大家好，欢迎来到直播间", "zh", "greet"),
    ScriptLine("line-2", "Tap follow for more.", "en", "follow"),
)
PORTRAIT_CONFIG = StreamConfig(width=720, height=1280, fps=30, disclosure_languages="zh", label_languages="zh+en")
PORTRAIT_LINES = (ScriptLine("p-1", "谢谢大家", "zh", "thanks"),)


@dataclass
class RenderedStream:
    directory: Path
    pki: DevelopmentChain
    assets_path: Path
    renderer: StreamRenderer
    plan: StreamPlan
    results: list[SegmentResult]

    def segment_file(self, sequence: int) -> Path:
        """init + one segment as a playable MP4 (what a detector or decoder is given)."""
        path = self.directory.parent / f"single_{sequence:03d}.mp4"
        if not path.exists():
            path.write_bytes(
                (self.directory / "init.mp4").read_bytes() + (self.directory / self.results[sequence].uri).read_bytes()
            )
        return path


@lru_cache(maxsize=1)
def avatar_bytes() -> bytes:
    return sample_assets().to_bytes()


def make_renderer(pki: DevelopmentChain, assets: AvatarAssets, config: StreamConfig = CONFIG) -> StreamRenderer:
    signer = SegmentSigner(chain_path=pki.chain, key_path=pki.signing_key, trust_anchor_path=pki.root_cert)
    return StreamRenderer(
        avatar=assets,
        config=config,
        stream_id=STREAM_ID,
        consent=CONSENT,
        signer=signer,
        watermark_key=KEY,
        content_producer=PRODUCER,
    )


def lines_json() -> str:
    return json.dumps([asdict(line) for line in LINES])


@lru_cache(maxsize=1)
def rendered() -> RenderedStream:
    return _render(CONFIG, LINES, "veracast-stream-")


@lru_cache(maxsize=1)
def rendered_portrait() -> RenderedStream:
    """A short 720x1280 30 fps stream of the same (landscape) avatar, framed for portrait: 3 segments."""
    return _render(PORTRAIT_CONFIG, PORTRAIT_LINES, "veracast-portrait-")


def _render(config: StreamConfig, lines: tuple[ScriptLine, ...], prefix: str) -> RenderedStream:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    pki = make_development_chain(root / "pki")
    assets_path = root / "avatar.npz"
    assets_path.write_bytes(avatar_bytes())
    renderer = make_renderer(pki, AvatarAssets.from_bytes(assets_path.read_bytes()), config)
    plan = renderer.plan(lines)
    out = root / "hls"
    out.mkdir()
    (out / "init.mp4").write_bytes(renderer.init_segment().data)
    results: list[SegmentResult] = []
    previous = None
    for sequence in range(plan.segment_count):
        result = renderer.render_segment(
            plan,
            sequence,
            previous_manifest_id=previous,
            wall_clock_start=ON_AIR + timedelta(seconds=plan.segment_span(sequence)[0]),
        )
        (out / result.uri).write_bytes(result.data)
        results.append(result)
        previous = result.record.manifest_id
        (out / "index.m3u8").write_text(
            renderer.playlist([r.record for r in results], ended=sequence == plan.segment_count - 1)
        )
    return RenderedStream(out, pki, assets_path, renderer, plan, results)

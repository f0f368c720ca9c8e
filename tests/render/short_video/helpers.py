"""Helpers of the short-video tests: a script source of approved versions held in memory (streaming's real one is
another package's; render only sees the port), an avatar whose consent covers `short_video`, and one short video
rendered by the engine alone (portrait 720x1280, once per test process) for the checks by outside tools."""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from common.api import DomainError
from render.script_source import ApprovedChoice, ApprovedLine, ApprovedScript

LINES = (ApprovedLine(id="hello", text="Hello everyone, welcome!", language="en", intent="greet"),)


class MemoryScriptSource:
    """Approved versions by public id; `refusal`, when set, is what check_voicing raises (approval withdrawn...)."""

    def __init__(self) -> None:
        self.scripts: dict[str, ApprovedScript] = {}
        self.refusal: DomainError | None = None
        self.voicing_checks: list[tuple[str, str]] = []  # (version id, grant public id)

    def add(self, script: ApprovedScript) -> ApprovedScript:
        self.scripts[script.version_id] = script
        return script

    def list_approved(self, *, organisation: Any) -> list[ApprovedChoice]:
        return [
            ApprovedChoice(s.version_id, f"Script {s.script_id[:8]}", s.version_number)
            for s in self.scripts.values()
            if s.organisation_id == organisation.pk
        ]

    def resolve(self, *, organisation: Any, version_id: str) -> ApprovedScript:
        script = self.scripts.get(version_id)
        if script is None or script.organisation_id != organisation.pk:
            raise DomainError("No such approved script version.", code="script_version_not_found", status_code=404)
        return script

    def check_voicing(self, *, script: ApprovedScript, grant: Any) -> None:
        self.voicing_checks.append((script.version_id, str(grant.public_id)))
        if self.refusal is not None:
            raise self.refusal


def approved_script(brand: Any, lines: tuple[ApprovedLine, ...] = LINES, number: int = 3) -> ApprovedScript:
    body = json.dumps([vars(line) for line in lines], sort_keys=True, ensure_ascii=False)
    return ApprovedScript(
        script_id=str(uuid.uuid4()),
        version_id=str(uuid.uuid4()),
        version_number=number,
        version_sha256=hashlib.sha256(body.encode()).hexdigest(),
        approval_id=str(uuid.uuid4()),
        organisation_id=brand.pk,
        lines=lines,
    )


def short_video_avatar(personas: dict[str, Any]) -> Any:
    """An Acme avatar of iris whose consent covers livestreams and short videos."""
    from tests.render.helpers import ready_avatar

    return ready_avatar(personas, purposes=("livestream_ecommerce", "short_video"))


# --- one short video rendered by the engine alone ----------------------------------------------------------------

VIDEO_ID = "short-video-test-0001"
KEY = b"short-video-test-watermark-key-0"  # 32 bytes
CONSENT_SHA = hashlib.sha256(b"consent document").hexdigest()


@dataclass
class RenderedShortVideo:
    path: Path
    trust_anchor: Path
    video: Any  # render.engine.short_video.ShortVideo
    label_box: tuple[int, int, int, int]
    opening_box: tuple[int, int, int, int]
    progress: list[float]


@lru_cache(maxsize=1)
def rendered_short_video() -> RenderedShortVideo:
    """720x1280 30 fps from the 1280x720 test avatar (framed for portrait): disclosure + one line, ~6 s."""
    from render.engine.c2pa_sign import ConsentReference, SegmentSigner
    from render.engine.devcerts import make_development_chain
    from render.engine.short_video import render_short_video
    from render.engine.stream import ScriptLine, StreamConfig, StreamRenderer
    from tests.render.engine.avatar.sample_avatar import sample_assets

    root = Path(tempfile.mkdtemp(prefix="veracast-short-video-"))
    pki = make_development_chain(root / "pki")
    renderer = StreamRenderer(
        avatar=sample_assets(),
        config=StreamConfig(
            width=720, height=1280, fps=30, disclosure_languages="zh", label_languages="zh+en", medium="video"
        ),
        stream_id=VIDEO_ID,
        consent=ConsentReference("cg_short_1", CONSENT_SHA),
        signer=SegmentSigner(chain_path=pki.chain, key_path=pki.signing_key, trust_anchor_path=pki.root_cert),
        watermark_key=KEY,
        content_producer="Veracast",
    )
    plan = renderer.plan([ScriptLine("l1", "谢谢大家", "zh", "thanks")])
    progress: list[float] = []
    video = render_short_video(
        renderer, plan, video_id=VIDEO_ID, assertions={"script": {"script_version": "v1"}}, on_progress=progress.append
    )
    path = root / "short.mp4"
    path.write_bytes(video.data)
    box, opening = renderer.label_parameters["box"], renderer.label_parameters["opening_box"]
    return RenderedShortVideo(path, Path(pki.root_cert), video, tuple(box), tuple(opening), progress)

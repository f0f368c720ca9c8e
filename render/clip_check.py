"""The public clip check: anyone uploads a clip or a segment and learns whether Veracast made it, for which brand and
stream, when, whether the consent behind it is still in force, and whether a C2PA manifest in it verifies.

Nothing is stored and nothing is written (so no ledger event: a check changes no row). The upload is streamed to a
temporary file that is deleted when the check ends. The file is looked at by `render.engine.clip_probe` in a child
process with a timeout and CPU/memory limits (that module says why); this module turns its answer into a verdict
by looking the stream up: RenderJob by the stream code the watermark carries (the first 10 hex digits of each
Segment.watermark_id), the brand's public name, the segments' times and the grant's status *now*.

What the verdict never holds: the influencer (name, profile, user), the grant's id or scope, anyone's e-mail, any
row id other than the stream id itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from common.api import DomainError
from consent.models import ConsentGrant
from render.engine.watermark import CANDIDATE_DECODES, STREAM_TAG_BITS
from render.keys import watermark_key_path
from render.models import RenderJob, Segment

__all__ = ["ClipVerdict", "check_clip", "false_positive_sentence"]

# The per-query bound of docs/watermark.md: at most CANDIDATE_DECODES decodes, each passing the 24-bit tag by chance
# with probability 2^-24.
FALSE_POSITIVE_BOUND = CANDIDATE_DECODES * 2.0**-STREAM_TAG_BITS
PROBE_MODULE = "render.engine.clip_probe"


def max_bytes() -> int:
    return int(getattr(settings, "CLIP_CHECK_MAX_BYTES", 50 * 1024 * 1024))


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass(frozen=True)
class ClipVerdict:
    """What the check found; `as_dict()` is the API's answer. Only public facts: see the module docstring."""

    found: bool
    frames: int
    confidence: float
    false_positive_rate: float
    stream_id: str | None = None
    stream_code: str | None = None
    known_stream: bool = False
    brand: str | None = None
    segments: tuple[int, int] | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    consent_status: str | None = None  # active | revoked | expired | ended
    consent_valid: bool | None = None
    c2pa: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    c2pa_sentence: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "made_by_veracast": self.found and self.known_stream,
            "watermark_found": self.found,
            "stream_id": self.stream_id,
            "stream_code": self.stream_code,
            "brand": self.brand,
            "segments": list(self.segments) if self.segments else None,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "consent": {"status": self.consent_status, "valid_now": self.consent_valid} if self.found else None,
            "confidence": self.confidence,
            "false_positive_rate": self.false_positive_rate,
            "frames": self.frames,
            "c2pa": {
                "status": self.c2pa.get("status", "absent"),
                "stream_id": self.c2pa.get("stream_id"),
                "message": self.c2pa_sentence,
            },
            "summary": self.summary,
        }


def false_positive_sentence() -> str:
    return _(
        "No Veracast watermark was found. Veracast marks every frame it renders; a clip made by Veracast that was "
        "cut very short, rotated or heavily degraded can lose the mark. A reported match is wrong at most once in "
        "%(one_in)s checks (each match must pass a keyed 24-bit check), so a match is strong evidence, and no match "
        "is weaker evidence that Veracast did not make the clip."
    ) % {"one_in": f"{round(1 / FALSE_POSITIVE_BOUND):,}"}


def _c2pa_sentence(c2pa: dict[str, Any]) -> str:
    status = c2pa.get("status", "absent")
    if status == "absent":
        return _("No C2PA manifest (re-encoded copies lose it; the watermark survives re-encoding).")
    if status == "verified":
        return _(
            "A C2PA manifest verifies: signed by a certificate Veracast trusts, bound to these bytes, and "
            "declaring the content AI-generated."
        )
    if status == "verified_not_ai":
        return _("A C2PA manifest verifies, but it does not declare the content AI-generated.")
    if status == "untrusted":
        return _("A C2PA manifest is present and intact, but its signer is not one Veracast trusts.")
    if status == "tampered":
        return _("A C2PA manifest is present but does not match the bytes: the file was changed after signing.")
    return _("A C2PA manifest is present but does not verify.")


def _run_probe(path: Path) -> dict[str, Any]:
    anchor = Path(settings.C2PA_TRUST_ANCHOR_PATH)
    key = watermark_key_path()
    if not key.exists() or not anchor.exists():
        raise DomainError(
            _("The clip check is not available right now (its keys are not installed)."),
            code="clip_check_unavailable",
            status_code=503,
        )
    timeout = _setting("CLIP_CHECK_TIMEOUT_SECONDS", 120)
    command = [
        sys.executable,
        "-m",
        PROBE_MODULE,
        str(path),
        "--key-file",
        str(key),
        "--trust-anchor",
        str(anchor),
        "--max-frames",
        str(_setting("CLIP_CHECK_MAX_FRAMES", 1500)),
        "--memory-bytes",
        str(_setting("CLIP_CHECK_MEMORY_BYTES", 4 * 1024**3)),
        "--cpu-seconds",
        str(timeout * 2),
    ]
    # The child sees only what it needs: where the code is, no secrets of the web process (database URL, keys in
    # the environment); it is handed the two key files by path.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "2",
        "OPENCV_NUM_THREADS": "2",
        "GLOG_minloglevel": "2",
    }
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv: our interpreter, our module, our temp file
            command, capture_output=True, timeout=timeout, env=env, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise DomainError(
            _("Checking this clip took too long (over %(seconds)d seconds); send a shorter clip.")
            % {"seconds": timeout},
            code="clip_too_complex",
            status_code=422,
        ) from None
    if done.returncode != 0:
        # Killed by a signal (a decoder crash, the CPU limit) or an uncaught error on a crafted file.
        raise DomainError(
            _("The file could not be decoded safely: it is damaged or not a video Veracast can read."),
            code="undecodable",
            status_code=422,
        )
    try:
        result: dict[str, Any] = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DomainError(
            _("The file could not be decoded safely: it is damaged or not a video Veracast can read."),
            code="undecodable",
            status_code=422,
        ) from None
    return result


_REFUSALS = {
    "needs_init": (
        422,
        lambda: _(
            "This looks like a single media segment whose init segment is not on record here; upload the init "
            "segment and the media segment joined (cat init.mp4 seg.m4s), or a playable clip."
        ),
    ),
    "not_video": (415, lambda: _("The file is not a video Veracast can read. Upload an MP4, MOV, WebM or MKV clip.")),
    "no_video_stream": (415, lambda: _("The file holds no video stream. Upload a video clip.")),
    "unsupported_size": (422, None),
    "undecodable": (422, lambda: _("The video could not be decoded: it is damaged or truncated.")),
    "too_complex": (422, lambda: _("Decoding the video needed too much memory; send a shorter or smaller clip.")),
}


def _refuse(result: dict[str, Any]) -> DomainError:
    code = str(result.get("code") or "undecodable")
    status, sentence = _REFUSALS.get(code, (422, None))
    if code == "unsupported_size":
        message = _(
            "The video is %(width)s×%(height)s pixels; clips from 32×32 up to %(max)s pixels a frame are checked."
        ) % {"width": result.get("width"), "height": result.get("height"), "max": result.get("max_pixels")}
    else:
        message = sentence() if sentence else str(result.get("message") or _("The clip could not be checked."))
    return DomainError(message, code=code, status_code=status)


def _grant_status(grant: ConsentGrant | None, now: datetime) -> str:
    if grant is None:
        return "ended"
    if grant.status == ConsentGrant.Status.REVOKED:
        return "revoked"
    if grant.status == ConsentGrant.Status.EXPIRED or (
        grant.status == ConsentGrant.Status.ACTIVE and grant.valid_until <= now
    ):
        return "expired"
    if grant.status == ConsentGrant.Status.ACTIVE and grant.valid_from <= now:
        return "active"
    return "ended"


def _find_stream(stream_hex: str, sequences: list[int]) -> tuple[RenderJob | None, list[Segment]]:
    """The job whose segments carry this stream code, and the segments the clip was read as (possibly none)."""
    wanted = [f"{stream_hex}{sequence:06x}" for sequence in sequences]
    segments = list(Segment.objects.filter(watermark_id__in=wanted).select_related("job__brand", "grant"))
    if segments:
        return segments[0].job, sorted(segments, key=lambda s: s.sequence)
    # No segment number decoded (a short or heavily re-encoded excerpt): the stream code alone names the job.
    any_segment = Segment.objects.filter(watermark_id__startswith=stream_hex).select_related("job__brand").first()
    return (any_segment.job if any_segment else None), []


def _verdict(result: dict[str, Any]) -> ClipVerdict:
    mark = result["watermark"]
    c2pa = result.get("c2pa") or {"status": "absent"}
    base: dict[str, Any] = {
        "frames": int(result["video"]["frames"]),
        "confidence": float(mark["confidence"]),
        "false_positive_rate": float(mark["false_positive_rate"]),
        "c2pa": c2pa,
        "c2pa_sentence": _c2pa_sentence(c2pa),
    }
    if not mark["found"]:
        return ClipVerdict(found=False, summary=false_positive_sentence(), **base)
    stream_hex = str(mark["stream_id_hex"])
    job, segments = _find_stream(stream_hex, [int(s) for s in mark["sequences"]])
    if job is None:
        return ClipVerdict(
            found=True,
            stream_code=stream_hex,
            summary=_(
                "This clip carries a Veracast watermark (stream code %(code)s), but no stream with that code is "
                "on record here."
            )
            % {"code": stream_hex},
            **base,
        )
    now = timezone.now()
    grant = segments[0].grant if segments and segments[0].grant_id else job.grant
    status = _grant_status(grant, now)
    span: tuple[int, int] | None = None
    starts = ends = None
    if segments:
        span = (segments[0].sequence, segments[-1].sequence)
        first, last = segments[0], segments[-1]
        starts = first.wall_clock_start
        ends = last.wall_clock_start + timedelta(seconds=last.duration) if last.wall_clock_start else None
    else:
        starts = job.started_at
        ends = job.finished_at
    valid = status == "active"
    consent_sentence = {
        "active": _("The consent behind it is still in force."),
        "revoked": _("The consent behind it has been revoked: it is no longer valid."),
        "expired": _("The consent behind it has expired: it is no longer valid."),
        "ended": _("The consent behind it is no longer in force."),
    }[status]
    summary = _("Made by Veracast for %(brand)s (stream %(stream)s). %(consent)s") % {
        "brand": job.brand.name,
        "stream": job.stream_id,
        "consent": consent_sentence,
    }
    return ClipVerdict(
        found=True,
        stream_id=job.stream_id,
        stream_code=stream_hex,
        known_stream=True,
        brand=job.brand.name,
        segments=span,
        starts_at=starts,
        ends_at=ends,
        consent_status=status,
        consent_valid=valid,
        summary=summary,
        **base,
    )


def _with_stored_init(path: Path, result: dict[str, Any]) -> dict[str, Any]:
    """A lone media segment names its init segment (manifest id and SHA-256) in its signed manifest: if that init is
    ours and its bytes match, check init + segment. Otherwise the segment cannot be decoded: the first refusal."""
    from render.publisher import segment_storage

    job = RenderJob.objects.filter(init_manifest_id=str(result.get("init_manifest_id"))).first()
    if job is None or not job.init_storage_name:
        return result
    try:
        with segment_storage().open(job.init_storage_name, "rb") as handle:
            init = handle.read()
    except OSError:
        return result
    if hashlib.sha256(init).hexdigest() != result.get("init_sha256"):
        return result
    with tempfile.NamedTemporaryFile(prefix="veracast-clip-", suffix=".mp4") as joined:
        joined.write(init)
        with path.open("rb") as segment:
            shutil.copyfileobj(segment, joined)
        joined.flush()
        return _run_probe(Path(joined.name))


def check_clip(*, path: Path) -> ClipVerdict:
    """Check the clip stored at `path` (a temporary file the caller deletes). Raises DomainError (4xx) when the file
    is not a video that can be checked."""
    result = _run_probe(path)
    if not result.get("ok") and result.get("code") == "needs_init":
        result = _with_stored_init(path, result)
    if not result.get("ok"):
        raise _refuse(result)
    return _verdict(result)

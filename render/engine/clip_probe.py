"""Look at an uploaded clip from outside: is it video at all, which Veracast watermark does it carry, and does a C2PA
manifest in it verify. Pure (no Django); the public clip check (render/clip_check.py) runs it as a child process:

    python -m render.engine.clip_probe FILE --key-file KEY --trust-anchor ROOT.pem [--max-frames N] [--max-pixels P]
        [--memory-bytes B] [--cpu-seconds S]

It prints one JSON object on stdout and exits 0, also for a clip that is not video (`{"ok": false, "code", "message"}`:
the refusal is an answer, not a failure). Why a child process and not a thread of the web worker: the file comes
from anyone on the internet and is parsed by FFmpeg's demuxers and decoders (C code). A crafted file that crashes a
decoder kills this process, not the web worker; one that makes a decoder loop or allocate without end is stopped
by the parent's timeout and by the CPU and address-space limits set here before anything is parsed. (The detector
itself imports numpy, OpenCV and PyAV, never torch; the web tier's no-torch invariant holds either way.)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
from typing import Any

from render.engine.fmp4 import BoxError, iter_boxes
from render.engine.watermark import WatermarkError, detect_clip, load_key

# Containers c2pa-python reads from video; anything else cannot carry a manifest we could verify.
_C2PA_FORMATS = {"mov,mp4,m4a,3gp,3g2,mj2": "video/mp4"}
_AI_SOURCE_TYPES = (
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
)
LIVE_SEGMENT_LABEL = "c2pa.livevideo.segment"
INIT_BINDING_LABEL = "com.veracast.livevideo.init"


class Refusal(Exception):  # noqa: N818 - an answer carrying a stable code and a sentence
    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def _limit(which: int, value: int) -> None:
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard))


def probe_container(path: str, *, max_pixels: int) -> dict[str, Any]:
    """Open the file with PyAV and check that it holds a decodable video stream of a sane size."""
    import av

    try:
        container = av.open(path, options={"probesize": "5000000", "analyzeduration": "5000000"})
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise Refusal("not_video", "The file is not a video Veracast can read (no known container format).") from exc
    with container:
        if not container.streams.video:
            raise Refusal("no_video_stream", "The file holds no video stream.")
        stream = container.streams.video[0]
        width, height = int(stream.codec_context.width or 0), int(stream.codec_context.height or 0)
        if width <= 0 or height <= 0:
            raise Refusal("not_video", "The file's video stream has no picture size: it is damaged or not video.")
        if width * height > max_pixels or width < 32 or height < 32:
            raise Refusal(
                "unsupported_size",
                f"The video is {width}×{height}; clips from 32×32 up to {max_pixels} pixels per frame are checked.",
                width=width,
                height=height,
                max_pixels=max_pixels,
            )
        return {"format": container.format.name, "width": width, "height": height}


def signed_parts(data: bytes) -> list[bytes]:
    """The file cut before each top-level `ftyp` box: Veracast signs the init and every media segment as its own
    file (each starting with ftyp), so a downloaded stream joined back together holds one manifest per part."""
    try:
        starts = [b.offset for b in iter_boxes(data) if b.kind == "ftyp"]
    except BoxError:
        return [data]
    if not starts or starts[0] != 0:
        return [data]
    ends = [*starts[1:], len(data)]
    return [data[a:b] for a, b in zip(starts, ends, strict=True)]


def _read_one(c2pa: Any, context: Any, mime: str, data: bytes) -> dict[str, Any]:
    try:
        with c2pa.Reader(mime, io.BytesIO(data), context=context) as reader:
            state = str(reader.get_validation_state())
            store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        text = str(exc)
        if "ManifestNotFound" in type(exc).__name__ or "no JUMBF" in text or "not found" in text.lower():
            return {"status": "absent"}
        return {"status": "invalid", "detail": text[:300]}
    except (OSError, ValueError) as exc:
        return {"status": "invalid", "detail": str(exc)[:300]}
    active = store.get("active_manifest")
    manifest = store.get("manifests", {}).get(active, {})
    assertions = {a.get("label"): a.get("data") for a in manifest.get("assertions", [])}
    results = store.get("validation_results", {}).get("activeManifest", {})
    failures = [str(f.get("code", "?")) for f in results.get("failure", [])]
    live = assertions.get(LIVE_SEGMENT_LABEL)
    binding = assertions.get(INIT_BINDING_LABEL)
    out: dict[str, Any] = {
        "state": state,
        "failures": failures[:10],
        "stream_id": live.get("streamId") if isinstance(live, dict) else None,
        "init_manifest_id": binding.get("manifestId") if isinstance(binding, dict) else None,
        "init_sha256": binding.get("hash") if isinstance(binding, dict) else None,
        "declares_ai": _declares_ai(assertions),
    }
    if state == "Trusted" and not failures:
        out["status"] = "verified" if out["declares_ai"] else "verified_not_ai"
    elif state == "Valid" and all(code == "signingCredential.untrusted" for code in failures):
        out["status"] = "untrusted"
    else:
        out["status"] = "tampered" if any("hash" in code.lower() for code in failures) else "invalid"
    return out


# Worst first: the verdict on a file of several signed parts is that of its worst part.
_RANK = {"tampered": 0, "invalid": 1, "untrusted": 2, "verified_not_ai": 3, "absent": 4, "verified": 5}


def read_c2pa(path: str, mime: str | None, trust_anchor_pem: str) -> dict[str, Any]:
    """The C2PA verdict on the clip: absent, verified (trusted signer, bytes bound, declared AI), or why not. A file
    of several signed parts (init + segments joined) is verified part by part."""
    if mime is None:
        return {"status": "absent"}
    import c2pa

    context = c2pa.Context.from_dict(
        {
            "trust": {"user_anchors": trust_anchor_pem},
            "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
        }
    )
    with open(path, "rb") as handle:
        data = handle.read()
    results = [_read_one(c2pa, context, mime, part) for part in signed_parts(data)]
    if len(results) == 1:
        return {**results[0], "parts": 1}
    signed = [r for r in results if r["status"] != "absent"]
    if not signed:
        return {"status": "absent", "parts": len(results)}
    worst = min(results, key=lambda r: _RANK[r["status"]])
    streams = {r.get("stream_id") for r in signed if r.get("stream_id")}
    return {
        **worst,
        # A part without a manifest in a file of signed parts is a part someone added.
        "status": "invalid" if worst["status"] == "absent" else worst["status"],
        "parts": len(results),
        "verified_parts": sum(r["status"] == "verified" for r in results),
        "stream_id": streams.pop() if len(streams) == 1 else None,
    }


def _declares_ai(assertions: dict[str, Any]) -> bool:
    for label in ("c2pa.actions.v2", "c2pa.actions"):
        data = assertions.get(label)
        actions = data.get("actions") if isinstance(data, dict) else None
        for action in actions if isinstance(actions, list) else []:
            if isinstance(action, dict) and action.get("digitalSourceType") in _AI_SOURCE_TYPES:
                return True
    return False


def probe(
    path: str, *, key: bytes, trust_anchor_pem: str, max_frames: int, max_pixels: int, segment_seconds: float = 2.0
) -> dict[str, Any]:
    """Everything the clip check needs to know about the file, as plain JSON-able values."""
    import av

    try:
        info = probe_container(path, max_pixels=max_pixels)
    except Refusal as refusal:
        if refusal.code != "not_video":
            raise
        # A lone media segment (moof + mdat, no moov) cannot be decoded without its init segment; if it is signed
        # and names the init it belongs to, the caller can supply that init and ask again.
        try:
            manifest = read_c2pa(path, "video/mp4", trust_anchor_pem)
        except OSError:
            raise refusal from None
        if manifest.get("init_manifest_id") and manifest.get("status") != "absent":
            raise Refusal(
                "needs_init",
                refusal.message,
                init_manifest_id=manifest["init_manifest_id"],
                init_sha256=manifest.get("init_sha256"),
            ) from None
        raise
    try:
        detection = detect_clip(path, key, max_frames=max_frames, segment_seconds=segment_seconds)
    except WatermarkError as exc:
        raise Refusal("undecodable", "The video could not be decoded: it is damaged or truncated.") from exc
    except (av.error.FFmpegError, EOFError) as exc:
        raise Refusal("undecodable", "The video could not be decoded: it is damaged or truncated.") from exc
    if detection.frames < 1:
        raise Refusal("undecodable", "The video holds no frame that could be decoded.")
    return {
        "ok": True,
        "video": {**info, "frames": detection.frames},
        "watermark": {
            "found": detection.found,
            "stream_id_hex": detection.stream_id_hex,
            "sequences": list(detection.sequences),
            "confidence": detection.confidence,
            "false_positive_rate": detection.false_positive_rate,
        },
        "c2pa": read_c2pa(path, _C2PA_FORMATS.get(info["format"]), trust_anchor_pem),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m render.engine.clip_probe")
    parser.add_argument("file")
    parser.add_argument("--key-file", required=True)
    parser.add_argument("--trust-anchor", required=True)
    parser.add_argument("--max-frames", type=int, default=1500)
    parser.add_argument("--max-pixels", type=int, default=3840 * 2160)
    parser.add_argument("--memory-bytes", type=int, default=0, help="address-space limit (0: none)")
    parser.add_argument("--cpu-seconds", type=int, default=0, help="CPU time limit (0: none)")
    args = parser.parse_args(argv)
    # Limits first, before the untrusted file is touched.
    if args.memory_bytes > 0:
        _limit(resource.RLIMIT_AS, args.memory_bytes)
    if args.cpu_seconds > 0:
        _limit(resource.RLIMIT_CPU, args.cpu_seconds)
    try:
        key = load_key(args.key_file)
        with open(args.trust_anchor, encoding="ascii") as handle:
            anchor = handle.read()
        result = probe(
            os.fspath(args.file),
            key=key,
            trust_anchor_pem=anchor,
            max_frames=args.max_frames,
            max_pixels=args.max_pixels,
        )
    except Refusal as refusal:
        result = {"ok": False, "code": refusal.code, "message": refusal.message, **refusal.extra}
    except MemoryError:
        result = {"ok": False, "code": "too_complex", "message": "Decoding the video needed too much memory."}
    out = io.StringIO()
    json.dump(result, out)
    sys.stdout.write(out.getvalue())
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

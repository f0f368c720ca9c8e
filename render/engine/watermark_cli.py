"""Watermark detector CLI: `python -m render.engine.watermark_cli detect FILE [--key-file K] [--json]`.

Prints the stream's id (10 hex digits: the 40-bit stream code), the segment range, the content ids and the
confidence with its false-positive bound, and exits 0; or prints "no watermark" and exits 1. Exit 2 on a bad key
or unreadable input. Without --key-file the key comes from $VERACAST_WATERMARK_KEY_FILE; with neither, it says so
and exits 2. Any clip works: a segment (init + media), a re-encoded excerpt, a whole stream.
"""

from __future__ import annotations

import argparse
import json
import sys

from render.engine.watermark import ClipDetection, WatermarkError, detect_clip, load_key


def _describe(result: ClipDetection) -> str:
    if not result.found:
        return f"no watermark (confidence z = {result.confidence:.2f}, {result.frames} frames)"
    lines = ["watermark found", f"stream id: {result.stream_id_hex}"]
    span = result.segment_range
    if span is None:
        lines.append("segments: not decodable in this clip (the stream id is)")
    else:
        lines.append(f"segments: {span[0]}-{span[1]}" if span[0] != span[1] else f"segment: {span[0]}")
        lines.append("content ids: " + " ".join(f"{cid:016x}" for cid in result.content_ids()))
    lines.append(
        f"confidence: z = {result.confidence:.2f} (false-positive rate <= {result.false_positive_rate:.1e} per query)"
    )
    lines.append(f"frames: {result.frames}, scale {result.scale[0]:.3f} x {result.scale[1]:.3f}")
    return "\n".join(lines)


def _as_json(result: ClipDetection) -> str:
    span = result.segment_range
    return json.dumps(
        {
            "found": result.found,
            "stream_id_hex": result.stream_id_hex,
            "segment_range": list(span) if span else None,
            "sequences": list(result.sequences),
            "content_ids": [f"{cid:016x}" for cid in result.content_ids()],
            "confidence": result.confidence,
            "false_positive_rate": result.false_positive_rate,
            "frames": result.frames,
            "scale": list(result.scale),
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m render.engine.watermark_cli")
    commands = parser.add_subparsers(dest="command", required=True)
    detect = commands.add_parser("detect", help="detect the Veracast watermark in a video file")
    detect.add_argument("file")
    detect.add_argument("--key-file", default=None)
    detect.add_argument("--max-frames", type=int, default=None, help="stop after this many frames")
    detect.add_argument("--segment-seconds", type=float, default=2.0)
    detect.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    try:
        key = load_key(args.key_file)
        result = detect_clip(args.file, key, max_frames=args.max_frames, segment_seconds=args.segment_seconds)
    except (WatermarkError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"error: cannot decode {args.file}: {exc}", file=sys.stderr)
        return 2
    print(_as_json(result) if args.json else _describe(result))
    return 0 if result.found else 1


if __name__ == "__main__":
    sys.exit(main())

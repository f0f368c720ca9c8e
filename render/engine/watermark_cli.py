"""Watermark detector CLI: `python -m render.engine.watermark_cli detect FILE [--key-file K]`.

Prints the 64-bit content id in hex (and the segment sequence it encodes) and exits 0, or prints
"no watermark" and exits 1. Exit 2 on unreadable input. Without --key-file the key comes from
$VERACAST_WATERMARK_KEY_FILE; with neither, it says so and exits 2.
"""

from __future__ import annotations

import argparse
import sys

from render.engine.watermark import CODED_BITS, WatermarkError, detect_frames, load_key, luma_planes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m render.engine.watermark_cli")
    commands = parser.add_subparsers(dest="command", required=True)
    detect = commands.add_parser("detect", help="detect the Veracast watermark in a video file")
    detect.add_argument("file")
    detect.add_argument("--key-file", default=None)
    detect.add_argument("--max-frames", type=int, default=60)
    args = parser.parse_args(argv)

    try:
        key = load_key(args.key_file)
        result = detect_frames(luma_planes(args.file, max_frames=args.max_frames), key)
    except (WatermarkError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"error: cannot decode {args.file}: {exc}", file=sys.stderr)
        return 2
    if result.content_id is None:
        print(f"no watermark (confidence {result.confidence:.3f}, {result.frames} frames)")
        return 1
    print(
        f"content id {result.content_id:016x} (sequence {result.content_id & 0xFFFFFF}, confidence "
        f"{result.confidence:.3f}, bit errors {result.bit_errors}/{CODED_BITS}, {result.frames} frames)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

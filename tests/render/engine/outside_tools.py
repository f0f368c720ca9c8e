"""Reading published output with tools the project did not write: ffmpeg/ffprobe (decoding, EBU R128) and tesseract.

Nothing here uses PyAV or the engine's own parsers, so a test built on it checks what an outside verifier sees.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np


def ffprobe_streams(path: Path) -> list[dict]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=index,codec_type,width,height,start_time", "-of", "json",
         str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    return list(json.loads(out)["streams"])


def decoded_frames(path: Path) -> np.ndarray:
    """Every video frame as RGB (n, h, w, 3), one per coded frame (no frame-rate conversion)."""
    video = next(s for s in ffprobe_streams(path) if s["codec_type"] == "video")
    w, h = int(video["width"]), int(video["height"])
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-fps_mode", "passthrough", "-f", "rawvideo",
         "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)


def decoded_audio(path: Path, rate: int = 48_000) -> tuple[np.ndarray, float]:
    """(mono PCM float64, presentation time of its first sample) as ffmpeg decodes the audio track."""
    audio = next(s for s in ffprobe_streams(path) if s["codec_type"] == "audio")
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a", "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.float32).astype(np.float64), float(audio["start_time"])


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated loudness LUFS, true peak dBTP) of the audio track, by ffmpeg's ebur128 filter."""
    log = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a", "-af", "ebur128=peak=true", "-f",
         "null", "-"],
        capture_output=True, check=True, text=True,
    ).stderr  # fmt: skip
    summary = log[log.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def ocr(image: np.ndarray) -> str:
    """tesseract (Simplified Chinese + English) on an RGB image; capital I and small l are one glyph in sans-serif
    fonts, so "Al" is read back as "AI"."""
    import cv2

    ok, png = cv2.imencode(".png", image[:, :, ::-1])
    assert ok
    text = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "chi_sim+eng"], input=png.tobytes(), capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\bAl", "AI", text)


def concatenated(directory: Path, uris: list[str], target: Path) -> Path:
    """init + media segments as one file (what a recorder of the stream keeps)."""
    with target.open("wb") as out:
        out.write((directory / "init.mp4").read_bytes())
        for uri in uris:
            out.write((directory / uri).read_bytes())
    return target

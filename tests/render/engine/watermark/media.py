"""Real-looking test video for the watermark tests and benchmark: a face (scikit-image's astronaut photograph, in
the dev requirements) with a slow pan, zoom and sensor noise, 1280x720, plus ffmpeg-CLI attacks on encoded clips."""

from __future__ import annotations

import subprocess
import tempfile
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import av
import numpy as np

from render.engine.watermark import LumaWatermarker, content_id_for

KEY = bytes(range(32))
STREAM_ID = "stream-watermark-test"


def face_frames(n: int, width: int = 1280, height: int = 720, *, seed: int = 5, fps: int = 25) -> list[np.ndarray]:
    """Luma frames of a face photograph that drifts and breathes (zoom) slowly, with a little sensor noise."""
    import cv2
    from skimage import data

    rgb = data.astronaut()
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # A wide backdrop: the photograph mirrored sideways so the 16:9 frame is filled with picture, not bars.
    wide = np.concatenate([gray[:, ::-1], gray, gray[:, ::-1]], axis=1)
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(n):
        t = i / fps
        zoom = 1.0 + 0.03 * np.sin(2 * np.pi * t / 7)
        dx = 12 * np.sin(2 * np.pi * t / 5)
        dy = 6 * np.sin(2 * np.pi * t / 3.3)
        scale = height / gray.shape[0] * 1.15 * zoom
        cx, cy = wide.shape[1] / 2 + dx, gray.shape[0] / 2 + dy
        m = np.array([[scale, 0, width / 2 - scale * cx], [0, scale, height / 2 - scale * cy]], dtype=np.float64)
        frame = cv2.warpAffine(wide, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        noisy = frame.astype(np.float32) + rng.normal(0, 1.2, frame.shape).astype(np.float32)
        frames.append(np.clip(noisy + 0.5, 0, 255).astype(np.uint8))
    return frames


def marked_stream(
    frames: list[np.ndarray],
    *,
    fps: int = 25,
    segment_seconds: float = 2.0,
    first_sequence: int = 0,
    stream_id: str = STREAM_ID,
    key: bytes = KEY,
) -> list[np.ndarray]:
    """Copies of `frames` watermarked as consecutive segments of one stream."""
    marker = LumaWatermarker(key)
    per_segment = round(fps * segment_seconds)
    out = []
    for i, y in enumerate(frames):
        y = y.copy()
        marker.embed_frame(y, content_id_for(stream_id, first_sequence + i // per_segment))
        out.append(y)
    return out


def write_clip(frames: list[np.ndarray], path: Path, *, fps: int = 25, crf: int = 16) -> Path:
    """A near-lossless H.264 MP4 of luma frames (neutral chroma), as the published stream would be."""
    height, width = frames[0].shape
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": str(crf)}
        stream.codec_context.time_base = Fraction(1, fps)
        chroma = np.full((height // 2, width), 128, dtype=np.uint8)
        for i, y in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.concatenate([y, chroma]), format="yuv420p")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


# Attacks as ffmpeg filter chains and output options, named as in the issue. Each re-encodes with libx264.
ATTACKS: dict[str, tuple[str, list[str]]] = {
    "none": ("null", []),
    "gain+20%": ("lutyuv=y=val*1.2", []),
    "gain-20%": ("lutyuv=y=val*0.8", []),
    "contrast+20%": ("eq=contrast=1.2", []),
    "contrast-20%": ("eq=contrast=0.8", []),
    "gamma0.8": ("eq=gamma=0.8", []),
    "gamma1.25": ("eq=gamma=1.25", []),
    "brightness+10%": ("eq=brightness=0.1", []),
    "brightness-10%": ("eq=brightness=-0.1", []),
    "tv-to-pc": ("scale=in_range=tv:out_range=pc", []),
    "pc-to-tv": ("scale=in_range=pc:out_range=tv", []),
    "crop10%": ("crop=iw*0.8:ih*0.8:iw*0.1:ih*0.1", []),
    "crop10%+rescale": ("crop=iw*0.8:ih*0.8:iw*0.1:ih*0.1,scale=1280:720", []),
    "crop-sides+rescale": ("crop=iw*0.84:ih:iw*0.1:0,scale=1280:720", []),
    "360p": ("scale=-2:360", []),
    "500kbps": ("null", ["-b:v", "500k", "-maxrate", "500k", "-bufsize", "1000k"]),
    "30fps": ("fps=30", []),
    "15fps": ("fps=15", []),
    "9:16-centre-crop": ("crop=ih*9/16:ih", []),
    "9:16-crop+720x1280": ("crop=ih*9/16:ih,scale=720:1280", []),
    "gain+20%+crop10%": ("lutyuv=y=val*1.2,crop=iw*0.8:ih*0.8:iw*0.1:ih*0.1", []),
    "gamma1.25+360p": ("eq=gamma=1.25,scale=-2:360", []),
    "crop10%+rescale+500kbps": (
        "crop=iw*0.8:ih*0.8:iw*0.1:ih*0.1,scale=1280:720",
        ["-b:v", "500k", "-maxrate", "500k", "-bufsize", "1000k"],
    ),
    "contrast-20%+500kbps": ("eq=contrast=0.8", ["-b:v", "500k", "-maxrate", "500k", "-bufsize", "1000k"]),
    "9:16-crop+brightness-10%": ("crop=ih*9/16:ih,eq=brightness=-0.1", []),
}


def attack(source: Path, target: Path, name: str, *, start: float = 0.0, seconds: float = 2.0) -> Path:
    """Cut `seconds` from `start` of `source` and apply the named attack with the ffmpeg CLI (libx264 output)."""
    vf, extra = ATTACKS[name]
    quality = extra or ["-crf", "20"]
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-ss",
            f"{start:.3f}",
            "-i",
            str(source),
            "-t",
            f"{seconds:.3f}",
            "-vf",
            vf,
            "-an",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            *quality,
            "-pix_fmt",
            "yuv420p",
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target


SECONDS = 6  # three 2 s segments
FPS = 25


@lru_cache(maxsize=1)
def source_frames() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(unmarked, marked) luma frames of a 6 s, three-segment 720p25 stream."""
    frames = face_frames(SECONDS * FPS, fps=FPS)
    return frames, marked_stream(frames, fps=FPS)


@lru_cache(maxsize=1)
def source_clip() -> Path:
    """The marked stream as a near-lossless MP4 (what a re-uploader starts from)."""
    directory = Path(tempfile.mkdtemp(prefix="veracast-wm-"))
    return write_clip(source_frames()[1], directory / "marked.mp4", fps=FPS)


def random_start(name: str, seconds: float = 2.0) -> float:
    """A reproducible random excerpt start for an attack (anywhere the excerpt fits)."""
    rng = np.random.default_rng(int.from_bytes(name.encode()[:8].ljust(8, b"\0"), "big"))
    return float(rng.uniform(0, SECONDS - seconds - 0.1))


def attacked_excerpt(name: str, directory: Path, *, seconds: float = 2.0) -> Path:
    return attack(source_clip(), directory / "attacked.mp4", name, start=random_start(name, seconds), seconds=seconds)

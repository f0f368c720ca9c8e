"""Synthetic but textured test video: gradients, noise and moving shapes (no fixtures on disk)."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import numpy as np


def luma_frames(n: int = 50, width: int = 1280, height: int = 720, seed: int = 7) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    base = 110 + 50 * np.sin(xx / 97) + 35 * np.cos(yy / 61) + 20 * np.sin((xx + yy) / 23)
    frames = []
    for i in range(n):
        f = base + rng.normal(0, 5, (height, width)).astype(np.float32)
        x = (40 + 14 * i) % (width - 200)
        f[height // 3 : height // 3 + 140, x : x + 180] = 225  # a bright box moving right
        cy = (height - 160 - 9 * i) % (height - 160)
        f[cy : cy + 120, width // 2 : width // 2 + 120] *= 0.4  # a shadowed square moving up
        frames.append(np.clip(f, 0, 255).astype(np.uint8))
    return frames


def rgb_frames(n: int = 50, width: int = 1280, height: int = 720, seed: int = 7) -> list[np.ndarray]:
    frames = []
    for y in luma_frames(n, width, height, seed):
        rgb = np.empty((height, width, 3), dtype=np.uint8)
        rgb[..., 0] = y
        rgb[..., 1] = np.roll(y, 5, axis=1)
        rgb[..., 2] = 255 - y
        frames.append(rgb)
    return frames


def tone(seconds: float = 2.0, sample_rate: int = 48_000, channels: int = 2) -> np.ndarray:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    mono = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.repeat(mono[:, None], channels, axis=1)


def encode_luma(frames: list[np.ndarray], *, bitrate: int, size: tuple[int, int] | None = None, fps: int = 25) -> bytes:
    """Plain PyAV/libx264 MP4 of luma frames (neutral chroma), optionally downscaled: the 'attack' in tests."""
    height, width = frames[0].shape
    out_w, out_h = size or (width, height)
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt, stream.bit_rate = out_w, out_h, "yuv420p", bitrate
        stream.options = {"preset": "veryfast", "tune": "zerolatency"}
        stream.codec_context.time_base = Fraction(1, fps)
        chroma = np.full((height // 2, width), 128, dtype=np.uint8)
        for i, y in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.concatenate([y, chroma]), format="yuv420p")
            if size:
                frame = frame.reformat(width=out_w, height=out_h, interpolation="BILINEAR")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return buf.getvalue()

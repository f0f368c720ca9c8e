"""Synthetic test media made from public-domain portraits, with PyAV and espeak-ng. Nothing is downloaded.

- astronaut: skimage.data.astronaut() (Eileen Collins, NASA, public domain), inside the scikit-image wheel;
- grace hopper: matplotlib's sample_data/grace_hopper.jpg (US Navy, public domain), inside the matplotlib wheel;
- chelsea: skimage.data.chelsea(), a cat (the no-face case).
Also used by bench/bench_face_match.py.
"""

from __future__ import annotations

import functools
import io
import math
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageEnhance

Frame = np.ndarray


@functools.cache
def astronaut() -> Frame:
    from skimage import data

    return np.asarray(data.astronaut())


@functools.cache
def grace_hopper() -> Frame:
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        return np.asarray(Image.open(f).convert("RGB"))


@functools.cache
def chelsea() -> Frame:
    from skimage import data

    return np.asarray(data.chelsea())


def place(
    portrait: Frame,
    size: tuple[int, int],
    *,
    scale: float = 0.9,
    dx: float = 0.0,
    dy: float = 0.0,
    brightness: float = 1.0,
    crop: tuple[float, float, float, float] | None = None,
    flip: bool = False,
    rotate: float = 0.0,
) -> Frame:
    """The portrait resized to `scale` x canvas height, moved by (dx, dy) px, on a grey canvas of `size` (w, h)."""
    width, height = size
    image = Image.fromarray(portrait)
    if crop is not None:
        w, h = image.size
        image = image.crop((round(crop[0] * w), round(crop[1] * h), round(crop[2] * w), round(crop[3] * h)))
    if flip:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if rotate:
        image = image.rotate(rotate, resample=Image.Resampling.BILINEAR, fillcolor=(128, 128, 128))
    if brightness != 1.0:
        image = ImageEnhance.Brightness(image).enhance(brightness)
    target_h = round(height * scale)
    target_w = round(image.size[0] * target_h / image.size[1])
    image = image.resize((target_w, target_h), Image.Resampling.BILINEAR)
    canvas = Image.new("RGB", (width, height), (128, 128, 128))
    canvas.paste(image, (round((width - target_w) / 2 + dx), round((height - target_h) / 2 + dy)))
    return np.asarray(canvas)


def side_by_side(left: Frame, right: Frame, size: tuple[int, int]) -> Frame:
    """Two portraits next to each other on one canvas (the two-face case)."""
    width, height = size
    half = (width // 2, height)
    return np.concatenate([place(left, half, scale=0.75), place(right, half, scale=0.75)], axis=1)


def gentle_motion(portrait: Frame, size: tuple[int, int], *, phases: int = 8, scale: float = 0.9) -> list[Frame]:
    """A few frames of slow zoom and sway; videos cycle through them (cheap to make, still not a still image)."""
    return [
        place(
            portrait,
            size,
            scale=scale * (1.0 + 0.04 * math.sin(2 * math.pi * i / phases)),
            dx=12 * math.sin(2 * math.pi * i / phases),
            dy=6 * math.cos(2 * math.pi * i / phases),
        )
        for i in range(phases)
    ]


def write_video(
    out: BinaryIO | str | Path,
    frames: list[Frame] | Callable[[int], Frame],
    *,
    count: int,
    fps: int = 10,
    codec: str = "h264",
    container: str = "mp4",
    audio: tuple[np.ndarray, int] | None = None,
) -> None:
    """Encode `count` frames (cycling through a list, or frame(i)) with optional int16 mono audio (pcm, rate)."""
    import av

    def frame_at(i: int) -> Frame:
        return frames(i) if callable(frames) else frames[i % len(frames)]

    first = frame_at(0)
    height, width = first.shape[:2]
    with av.open(out, mode="w", format=container) as output:
        stream = output.add_stream("libx264" if codec == "h264" else "libvpx" if codec == "vp8" else codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        if codec == "h264":
            stream.options = {"preset": "ultrafast", "crf": "28"}
        elif codec == "vp8":
            stream.options = {"deadline": "realtime", "cpu-used": "8", "b": "800k"}
        audio_stream = None
        if audio is not None:
            audio_stream = output.add_stream("aac" if container == "mp4" else "libopus", rate=48000)
            audio_stream.layout = "mono"
        for i in range(count):
            video_frame = av.VideoFrame.from_ndarray(frame_at(i), format="rgb24")
            for packet in stream.encode(video_frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
        if audio is not None and audio_stream is not None:
            pcm, rate = audio
            resampler = av.AudioResampler(format=audio_stream.format.name, layout="mono", rate=48000)
            block = rate // 10
            pts = 0
            for start in range(0, len(pcm), block):
                chunk = np.ascontiguousarray(pcm[start : start + block].reshape(1, -1).astype(np.int16))
                audio_frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
                audio_frame.sample_rate = rate
                audio_frame.pts = pts
                pts += chunk.shape[1]
                for resampled in resampler.resample(audio_frame):
                    for packet in audio_stream.encode(resampled):
                        output.mux(packet)
            for resampled in resampler.resample(None):
                for packet in audio_stream.encode(resampled):
                    output.mux(packet)
            for packet in audio_stream.encode():
                output.mux(packet)


def video_bytes(frames: list[Frame] | Callable[[int], Frame], **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    write_video(buffer, frames, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue()


def espeak(text: str, voice: str = "en-us", *, speed: int = 160) -> tuple[np.ndarray, int]:
    """Speech from Debian's espeak-ng as (int16 mono pcm, sample rate)."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.wav"
        subprocess.run([binary, "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
        with wave.open(str(path), "rb") as wav:
            rate = wav.getframerate()
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    return pcm, rate


class _NonSeekable(io.RawIOBase):
    """A write-only, non-seekable sink: the muxer cannot go back to write a duration or cues, like MediaRecorder."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return self.buffer.write(data)


def mediarecorder_like_webm(frames: list[Frame], *, count: int, fps: int = 10) -> bytes:
    """A VP8 WebM without duration and cues in its header, as Chromium's MediaRecorder writes it."""
    sink = _NonSeekable()
    write_video(sink, frames, count=count, fps=fps, codec="vp8", container="webm")  # type: ignore[arg-type]
    return sink.buffer.getvalue()

"""Synthetic statement videos that pass the live checks, for the demo, the benchmarks and the tests. Not used by the
request path.

A still portrait is warped to perform a liveness challenge's actions in their windows (a head turn is a horizontal
warp that moves the nose between the face's contours; an open mouth pushes the lower lip and jaw down and fills the
gap dark; a blink paints the eyes over with the skin just below them), and espeak-ng (Debian, already needed by the
render engine) reads the one-time code aloud. Landmarks for the warps come from mediapipe on the still portrait.
"""

from __future__ import annotations

import functools
import io
import math
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consent.biometrics.liveness import ChallengeAction

RAMP_SECONDS = 0.35


@functools.lru_cache(maxsize=8)
def _portrait_landmarks(key: bytes, shape: tuple[int, ...]) -> np.ndarray:
    import mediapipe as mp

    rgb = np.frombuffer(key, dtype=np.uint8).reshape(shape)
    with mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=True) as mesh:
        result = mesh.process(np.ascontiguousarray(rgb))
    if not result.multi_face_landmarks:
        raise ValueError("no face in the portrait")
    h, w = shape[:2]
    return np.array([(p.x * w, p.y * h) for p in result.multi_face_landmarks[0].landmark], dtype=np.float32)


def landmarks_of(rgb: np.ndarray) -> np.ndarray:
    return _portrait_landmarks(np.ascontiguousarray(rgb).tobytes(), rgb.shape)


def _yaw(rgb: np.ndarray, lm: np.ndarray, amount: float) -> np.ndarray:
    """amount in [-1, 1]: positive turns the head to the person's left (the nose moves to the image's right)."""
    import cv2

    h, w = rgb.shape[:2]
    left, right = float(lm[234, 0]), float(lm[454, 0])
    top, bottom = float(lm[10, 1]), float(lm[152, 1])
    cx, half = (left + right) / 2, (right - left) / 2
    cy, half_h = (top + bottom) / 2, (bottom - top) / 2
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xs - cx) / (half * 1.15)
    v = (ys - cy) / (half_h * 1.25)
    inside = np.clip(1.0 - v**2, 0.0, 1.0) * (np.abs(u) < 1)
    shift = amount * 0.3 * half * np.cos(np.clip(u, -1, 1) * math.pi / 2) * inside
    return cv2.remap(rgb, xs - shift, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _open_mouth(rgb: np.ndarray, lm: np.ndarray, amount: float) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    iod = float(np.hypot(*(lm[33] - lm[263])))
    gap = amount * 0.4 * iod
    mouth_y = float((lm[13, 1] + lm[14, 1]) / 2)
    mouth_x = float((lm[61, 0] + lm[291, 0]) / 2)
    mouth_half = float(abs(lm[291, 0] - lm[61, 0]) / 2)
    chin_y = float(lm[152, 1])
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    # The jaw drops as one piece (lower lip to chin) and the neck below stretches back to rest. Squashing the chin
    # instead, or opening wider than 0.4 of the eye distance, made the face mesh read the widest mouth as closed, so
    # an action held for 1.4 s showed for only its ramps (three frames, flaky through a browser's VP8 under load).
    below = np.clip((ys - chin_y - gap) / (0.8 * iod), 0.0, 1.0)
    weight_y = np.where(ys >= mouth_y, 1.0 - below, 0.0)
    weight_x = np.clip(1.0 - ((xs - mouth_x) / (mouth_half * 2.2)) ** 2, 0.0, 1.0)
    out = cv2.remap(rgb, xs, ys - gap * weight_y * weight_x, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if gap >= 1:
        cv2.ellipse(
            out,
            (round(mouth_x), round(mouth_y + gap / 2)),
            (max(1, round(mouth_half * 0.8)), max(1, round(gap / 2))),
            0,
            0,
            360,
            (40, 12, 16),
            -1,
            cv2.LINE_AA,
        )
    return out


def _close_eyes(rgb: np.ndarray, lm: np.ndarray, amount: float) -> np.ndarray:
    import cv2

    out = rgb.copy()
    for corner_a, corner_b, upper, lower in ((33, 133, 159, 145), (362, 263, 386, 374)):
        cx = float((lm[corner_a, 0] + lm[corner_b, 0]) / 2)
        cy = float((lm[upper, 1] + lm[lower, 1]) / 2)
        half_w = float(abs(lm[corner_b, 0] - lm[corner_a, 0]) / 2) * 1.25
        half_h = max(float(abs(lm[lower, 1] - lm[upper, 1])), 2.0) * 1.3
        skin_y = min(rgb.shape[0] - 1, round(cy + half_h * 2.2))
        skin = rgb[skin_y, max(0, round(cx - half_w / 2)) : round(cx + half_w / 2)].reshape(-1, 3).mean(axis=0)
        lid = out.copy()
        cv2.ellipse(lid, (round(cx), round(cy)), (round(half_w), round(half_h)), 0, 0, 360, skin.tolist(), -1)
        cv2.line(lid, (round(cx - half_w), round(cy)), (round(cx + half_w), round(cy + 1)), (60, 40, 35), 2)
        out = (out * (1 - amount) + lid * amount).astype(np.uint8)
    return out


def _envelope(t: float, start: float, end: float) -> float:
    """0 outside [start, end], ramping up and down over RAMP_SECONDS inside it."""
    if t <= start or t >= end:
        return 0.0
    return min(1.0, (t - start) / RAMP_SECONDS, (end - t) / RAMP_SECONDS)


def perform(
    rgb: np.ndarray, actions: Sequence[ChallengeAction], t: float, *, lm: np.ndarray | None = None
) -> np.ndarray:
    """The portrait at time t, doing whichever action's window holds t (centred in the window, 1.4 s long)."""
    lm = landmarks_of(rgb) if lm is None else lm
    frame = rgb
    for a in actions:
        middle = (a.start + a.end) / 2
        amount = _envelope(t, middle - 0.7, middle + 0.7)
        if amount <= 0:
            continue
        if a.action == "turn_left":
            frame = _yaw(frame, lm, amount)
        elif a.action == "turn_right":
            frame = _yaw(frame, lm, -amount)
        elif a.action == "open_mouth":
            frame = _open_mouth(frame, lm, amount)
        elif a.action == "blink":
            frame = _close_eyes(frame, lm, amount)
    return frame


def speak(text: str, *, voice: str = "en-us", speed: int = 130) -> tuple[np.ndarray, int]:
    """espeak-ng's speech as (int16 mono pcm, sample rate)."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.wav"
        subprocess.run([binary, "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)  # noqa: S603 - fixed binary, argv list
        with wave.open(str(path), "rb") as wav:
            return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16), wav.getframerate()


def code_sentence(code: str, *, lead: str = "I agree. My code is") -> str:
    # Commas between the digits make espeak pause, as a person reading them out does; Whisper then hears digits.
    return f"{lead}: {', '.join(code)}."


def place_on_canvas(portrait: np.ndarray, size: tuple[int, int], *, scale: float = 0.9) -> np.ndarray:
    """The portrait scaled to `scale` x the canvas height, centred on a grey canvas of `size` (w, h)."""
    from PIL import Image

    width, height = size
    image = Image.fromarray(portrait)
    target_h = round(height * scale)
    target_w = round(image.size[0] * target_h / image.size[1])
    image = image.resize((target_w, target_h), Image.Resampling.BILINEAR)
    canvas = Image.new("RGB", (width, height), (128, 128, 128))
    canvas.paste(image, ((width - target_w) // 2, (height - target_h) // 2))
    return np.asarray(canvas)


def statement_video(
    portrait: np.ndarray,
    *,
    code: str | None,
    actions: Sequence[ChallengeAction],
    size: tuple[int, int] = (640, 480),
    fps: int = 10,
    seconds: float | None = None,
    audio: tuple[np.ndarray, int] | None = None,
    silent: bool = False,
    container: str = "mp4",
    luma: Callable[[np.ndarray], None] | None = None,
    scale: float = 0.9,
) -> bytes:
    """An H.264/AAC MP4 (or VP8/Opus WebM) of the portrait doing `actions`, with espeak-ng saying `code`.

    `audio` replaces the spoken code; `silent=True` leaves the sound track out altogether. `luma(y)` may change each
    frame's luma plane in place before encoding (tests embed a watermark with it). `scale` sizes the portrait to the
    frame's height: mediapipe's face detector wants a face of at least about a fifth of the frame's width.
    """
    import av

    still = place_on_canvas(portrait, size, scale=scale)
    lm = landmarks_of(still)
    if audio is None and not silent and code is not None:
        audio = speak(code_sentence(code))
    duration = seconds or max(max((a.end for a in actions), default=0.0) + 1.0, 4.0)
    if audio is not None:
        duration = max(duration, len(audio[0]) / audio[1] + 0.5)
    count = round(duration * fps)
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as output:
        video = output.add_stream("libx264" if container == "mp4" else "libvpx", rate=fps)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        video.options = (
            {"preset": "ultrafast", "crf": "26"} if container == "mp4" else {"deadline": "good", "b": "900k"}
        )
        sound: Any = None
        if audio is not None and not silent:
            sound = output.add_stream("aac" if container == "mp4" else "libopus", rate=48000)
            sound.layout = "mono"
        for i in range(count):
            picture = av.VideoFrame.from_ndarray(perform(still, actions, i / fps, lm=lm), format="rgb24")
            if luma is not None:
                yuv = picture.reformat(format="yuv420p").to_ndarray()
                luma(yuv[: size[1]])
                picture = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
            for packet in video.encode(picture):
                output.mux(packet)
        for packet in video.encode():
            output.mux(packet)
        if sound is not None and audio is not None:
            pcm, rate = audio
            resampler = av.AudioResampler(format=sound.format.name, layout="mono", rate=48000)
            pts = 0
            for start in range(0, len(pcm), rate // 10):
                chunk = np.ascontiguousarray(pcm[start : start + rate // 10].reshape(1, -1).astype(np.int16))
                audio_frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
                audio_frame.sample_rate, audio_frame.pts = rate, pts
                pts += chunk.shape[1]
                for resampled in resampler.resample(audio_frame):
                    for packet in sound.encode(resampled):
                        output.mux(packet)
            for resampled in resampler.resample(None):
                for packet in sound.encode(resampled):
                    output.mux(packet)
            for packet in sound.encode():
                output.mux(packet)
    return out.getvalue()

"""What an avatar build produces, and its byte format.

`AvatarAssets.to_bytes()` writes one `.npz` (numpy's zip of arrays, no pickle: `allow_pickle=False` on load, so a
tampered file cannot run code) holding a JSON header, the body clips as JPEG frames plus per-frame landmarks and
canonical transforms, and the mouth bank. The Django side encrypts these bytes in the biometric vault.
"""

from __future__ import annotations

import io
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

FORMAT_VERSION = 1
# The canonical (eye-frame, IOD units) box that mouth-bank crops cover: u across, v down from between the eyes.
BANK_BOX = (-0.9, 0.55, 0.9, 1.85)


class AvatarFormatError(ValueError):
    """The bytes are not avatar assets this version can read."""


@dataclass
class Clip:
    """A body clip cut from the sample: JPEG frames with the face geometry of each frame.

    `landmarks` are pixels (n×478×3), `to_px` the 2×3 similarity from canonical face coordinates to pixels,
    `shapes` the mouth features (opening, width, roundness; IOD), `pose` yaw/pitch/roll in degrees relative to the
    sample's median face.
    """

    name: str
    start_s: float
    end_s: float
    jpeg: list[bytes]
    landmarks: NDArray[np.float32]
    to_px: NDArray[np.float32]
    shapes: NDArray[np.float32]
    pose: NDArray[np.float32]
    _cache: OrderedDict[int, NDArray[np.uint8]] = field(default_factory=OrderedDict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.jpeg)

    def frame(self, index: int) -> NDArray[np.uint8]:
        """Decoded RGB frame (a small LRU cache keeps looping clips from decoding every pass)."""
        import cv2

        index %= len(self.jpeg)
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        bgr: Any = cv2.imdecode(np.frombuffer(self.jpeg[index], np.uint8), cv2.IMREAD_COLOR)
        rgb: NDArray[np.uint8] = np.ascontiguousarray(bgr[:, :, ::-1], dtype=np.uint8)
        rgb.flags.writeable = False
        self._cache[index] = rgb
        if len(self._cache) > 128:
            self._cache.popitem(last=False)
        return rgb


@dataclass
class MouthBank:
    """Mouth appearances in canonical crops (k×h×w×3), their lip landmarks (k×40×2, canonical) and features (k×3)."""

    crops: NDArray[np.uint8]
    lips: NDArray[np.float32]
    features: NDArray[np.float32]
    source_frames: NDArray[np.int32]
    box: tuple[float, float, float, float] = BANK_BOX

    def __len__(self) -> int:
        return len(self.crops)


@dataclass
class GestureSuggestion:
    """A stretch of high body motion that a person may name as a gesture."""

    start_s: float
    end_s: float
    score: float


@dataclass
class AvatarAssets:
    fps: float
    frame_size: tuple[int, int]
    reference: NDArray[np.float32]
    rest_width: float
    rest_opening: float
    clips: dict[str, Clip]
    bank: MouthBank
    suggestions: list[GestureSuggestion]
    stats: dict[str, Any]

    @property
    def idle(self) -> Clip:
        return self.clips["idle"]

    def to_bytes(self) -> bytes:
        header = {
            "version": FORMAT_VERSION,
            "fps": self.fps,
            "frame_size": list(self.frame_size),
            "rest_width": self.rest_width,
            "rest_opening": self.rest_opening,
            "bank_box": list(self.bank.box),
            "clips": [
                {"name": c.name, "start_s": c.start_s, "end_s": c.end_s, "frames": len(c)} for c in self.clips.values()
            ],
            "suggestions": [[s.start_s, s.end_s, s.score] for s in self.suggestions],
            "stats": self.stats,
        }
        arrays: dict[str, NDArray[Any]] = {
            "header": np.frombuffer(json.dumps(header).encode(), np.uint8),
            "reference": self.reference,
            "bank_crops": self.bank.crops,
            "bank_lips": self.bank.lips,
            "bank_features": self.bank.features,
            "bank_sources": self.bank.source_frames,
        }
        for i, clip in enumerate(self.clips.values()):
            lengths = np.array([len(j) for j in clip.jpeg], np.int64)
            arrays[f"clip{i}_jpeg"] = np.frombuffer(b"".join(clip.jpeg), np.uint8)
            arrays[f"clip{i}_lengths"] = lengths
            arrays[f"clip{i}_landmarks"] = clip.landmarks
            arrays[f"clip{i}_to_px"] = clip.to_px
            arrays[f"clip{i}_shapes"] = clip.shapes
            arrays[f"clip{i}_pose"] = clip.pose
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> AvatarAssets:
        try:
            npz = np.load(io.BytesIO(data), allow_pickle=False)
            header = json.loads(bytes(npz["header"]).decode())
        except Exception as exc:
            raise AvatarFormatError(f"not avatar assets: {exc}") from exc
        if header.get("version") != FORMAT_VERSION:
            raise AvatarFormatError(
                f"avatar assets version {header.get('version')!r}; this build reads {FORMAT_VERSION}"
            )
        clips: dict[str, Clip] = {}
        for i, meta in enumerate(header["clips"]):
            blob = npz[f"clip{i}_jpeg"].tobytes()
            offsets = np.concatenate([[0], np.cumsum(npz[f"clip{i}_lengths"])])
            clips[meta["name"]] = Clip(
                name=meta["name"],
                start_s=float(meta["start_s"]),
                end_s=float(meta["end_s"]),
                jpeg=[blob[offsets[k] : offsets[k + 1]] for k in range(len(offsets) - 1)],
                landmarks=npz[f"clip{i}_landmarks"],
                to_px=npz[f"clip{i}_to_px"],
                shapes=npz[f"clip{i}_shapes"],
                pose=npz[f"clip{i}_pose"],
            )
        box = header["bank_box"]
        bank = MouthBank(
            crops=npz["bank_crops"],
            lips=npz["bank_lips"],
            features=npz["bank_features"],
            source_frames=npz["bank_sources"],
            box=(float(box[0]), float(box[1]), float(box[2]), float(box[3])),
        )
        return cls(
            fps=float(header["fps"]),
            frame_size=(int(header["frame_size"][0]), int(header["frame_size"][1])),
            reference=npz["reference"],
            rest_width=float(header["rest_width"]),
            rest_opening=float(header["rest_opening"]),
            clips=clips,
            bank=bank,
            suggestions=[GestureSuggestion(float(a), float(b), float(c)) for a, b, c in header["suggestions"]],
            stats=dict(header["stats"]),
        )


@dataclass(frozen=True)
class BodyFrame:
    """One frame of body footage with its face geometry: what a lip-sync engine draws a mouth onto."""

    image: NDArray[np.uint8]
    landmarks: NDArray[np.float32]
    to_px: NDArray[np.float32]
    shape: NDArray[np.float32]


def clip_frame(clip: Clip, index: int) -> BodyFrame:
    index %= len(clip)
    return BodyFrame(clip.frame(index), clip.landmarks[index], clip.to_px[index], clip.shapes[index])

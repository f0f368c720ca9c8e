"""`onnx`: lip-sync with a user-supplied Wav2Lip-style ONNX model (onnxruntime; CUDA when present, else CPU).

The contract (names and sizes configurable through `OnnxContract`):
- input `mel`:  float32 [batch, 1, 80, 16]: the mel window starting at the frame's time (see `lipsync.mel`);
- input `face`: float32 [batch, 6, S, S] in [0, 1], RGB: channels 0-2 the face crop with its lower half blanked,
  channels 3-5 a reference crop of the same face (we use the frame itself, as Wav2Lip inference does);
- output:       float32 [batch, 3, S, S] in [0, 1]: the face crop with a generated mouth; only its lower half is used.
The batch dimension may be symbolic (any batch size) or fixed (then that is the batch size). A model whose inputs or
outputs differ is refused before anything runs, with an error naming the mismatch.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.assets import BodyFrame
from render.engine.lipsync.blend import compute_threads, match_and_blend
from render.engine.lipsync.mel import MEL_BINS, MEL_STEPS, mel_spectrogram, mel_windows


class OnnxModelMismatch(ValueError):  # noqa: N818 - reads as the condition.
    """The model file does not follow the lip-sync contract; the message names the mismatch."""


@dataclass(frozen=True)
class OnnxContract:
    mel_input: str = "mel"
    face_input: str = "face"
    size: int = 96
    mel_bins: int = MEL_BINS
    mel_steps: int = MEL_STEPS

    def expected_inputs(self) -> dict[str, list[int | None]]:
        return {
            self.mel_input: [None, 1, self.mel_bins, self.mel_steps],
            self.face_input: [None, 6, self.size, self.size],
        }

    def expected_output(self) -> list[int | None]:
        return [None, 3, self.size, self.size]


def _shape_text(shape: Sequence[Any]) -> str:
    return "[" + ", ".join("batch" if d is None else str(d) for d in shape) + "]"


def _check_tensor(kind: str, name: str, shape: Sequence[Any], dtype: str, expected: list[int | None]) -> int | None:
    """Raise OnnxModelMismatch unless the tensor matches; return its fixed batch size (None if symbolic)."""
    if dtype != "tensor(float)":
        raise OnnxModelMismatch(f"model {kind} {name!r} is {dtype}; the contract needs tensor(float) (float32)")
    got = [d if isinstance(d, int) and d > 0 else None for d in shape]
    if len(got) != len(expected) or any(e is not None and g != e for g, e in zip(got, expected, strict=False)):
        raise OnnxModelMismatch(
            f"model {kind} {name!r} has shape {_shape_text(got)}; the contract needs {_shape_text(expected)}"
        )
    return got[0]


def validate_session(session: Any, contract: OnnxContract) -> int | None:
    """Check a session's inputs and outputs against the contract; returns the model's fixed batch size, if any."""
    inputs = {i.name: i for i in session.get_inputs()}
    expected = contract.expected_inputs()
    missing = [n for n in expected if n not in inputs]
    extra = [n for n in inputs if n not in expected]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing input(s) {', '.join(repr(n) for n in missing)}")
        if extra:
            parts.append(f"unexpected input(s) {', '.join(repr(n) for n in extra)}")
        raise OnnxModelMismatch(
            f"model inputs {sorted(inputs)} do not match the contract {sorted(expected)}: {'; '.join(parts)}"
        )
    batches = {_check_tensor("input", n, inputs[n].shape, inputs[n].type, shape) for n, shape in expected.items()} - {
        None
    }
    outputs = session.get_outputs()
    if len(outputs) != 1:
        raise OnnxModelMismatch(f"model has {len(outputs)} outputs; the contract needs exactly one (the face crop)")
    out = outputs[0]
    batches |= {_check_tensor("output", out.name, out.shape, out.type, contract.expected_output())} - {None}
    fixed = sorted(b for b in batches if b is not None)
    if len(fixed) > 1:
        raise OnnxModelMismatch(f"model tensors disagree on the batch size: {fixed}")
    return fixed[0] if fixed else None


_sessions: dict[tuple[str, float, tuple[str, ...]], Any] = {}
_sessions_lock = threading.Lock()


def default_providers() -> list[str]:
    """CUDA first when a GPU is really usable, else CPU.

    onnxruntime-gpu lists CUDAExecutionProvider even on machines without a GPU or without the CUDA libraries (and then
    logs an error and falls back), so we also ask torch whether a CUDA device is there.
    """
    import onnxruntime as ort
    import torch

    if "CUDAExecutionProvider" in ort.get_available_providers() and torch.cuda.is_available():
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


def load_session(path: str | os.PathLike[str], providers: Sequence[str] | None = None) -> Any:
    """One InferenceSession per (file, modification time, providers) per process."""
    import onnxruntime as ort

    real = os.path.realpath(path)
    if not os.path.isfile(real):
        raise FileNotFoundError(f"ONNX model {path} does not exist")
    chosen = tuple(providers) if providers else tuple(default_providers())
    key = (real, os.path.getmtime(real), chosen)
    with _sessions_lock:
        if key not in _sessions:
            try:
                _sessions[key] = ort.InferenceSession(real, providers=list(chosen))
            except Exception as exc:  # onnxruntime raises its own exception types for unreadable models
                raise OnnxModelMismatch(f"ONNX model {os.path.basename(real)} cannot be loaded: {exc}") from exc
        return _sessions[key]


def face_box(landmarks: NDArray[np.float32], frame_shape: tuple[int, ...]) -> tuple[int, int, int]:
    """(x0, y0, side) of a square crop around the face, padded by 10% and kept inside the frame when possible."""
    x0, y0 = float(landmarks[:, 0].min()), float(landmarks[:, 1].min())
    x1, y1 = float(landmarks[:, 0].max()), float(landmarks[:, 1].max())
    side = round(max(x1 - x0, y1 - y0) * 1.2)
    h, w = frame_shape[:2]
    side = max(min(side, h, w), 8)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 0.05 * side
    bx = int(np.clip(round(cx - side / 2), 0, w - side))
    by = int(np.clip(round(cy - side / 2), 0, h - side))
    return bx, by, side


class OnnxLipSyncEngine:
    name = "onnx"

    def __init__(
        self,
        model_path: str | os.PathLike[str],
        *,
        batch_size: int = 16,
        contract: OnnxContract | None = None,
        providers: Sequence[str] | None = None,
        threads: int | None = 1,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.contract = contract or OnnxContract()
        self.session = load_session(model_path, providers)
        fixed = validate_session(self.session, self.contract)
        self.batch_size = fixed or batch_size
        self.output_name = self.session.get_outputs()[0].name
        self.providers = list(self.session.get_providers())
        self.threads = threads

    def prepare(self, bodies: Sequence[BodyFrame]) -> tuple[NDArray[np.float32], list[tuple[int, int, int]]]:
        """Face inputs (n×6×S×S) and the crop box of each frame."""
        faces = np.empty((len(bodies), 6, self.contract.size, self.contract.size), np.float32)
        boxes = []
        for i, body in enumerate(bodies):
            bx, by, side = face_box(body.landmarks, body.image.shape)
            faces[i] = self.face_input(body.image[by : by + side, bx : bx + side])
            boxes.append((bx, by, side))
        return faces, boxes

    def face_input(self, face: NDArray[np.uint8]) -> NDArray[np.float32]:
        """One model input (6×S×S) from a square RGB face crop: the crop with its lower half blanked, then itself."""
        import cv2

        s = self.contract.size
        crop = cv2.resize(face, (s, s), interpolation=cv2.INTER_AREA)
        chw = crop.transpose(2, 0, 1).astype(np.float32) / 255.0
        out = np.concatenate([chw, chw])
        out[:3, s // 2 :] = 0.0
        return out

    def infer(self, mels: NDArray[np.float32], faces: NDArray[np.float32]) -> NDArray[np.float32]:
        """Run the model in batches of `batch_size`; the last batch is padded when the model's batch is fixed."""
        outputs = []
        c = self.contract
        for start in range(0, len(faces), self.batch_size):
            m = mels[start : start + self.batch_size]
            f = faces[start : start + self.batch_size]
            real = len(f)
            if real < self.batch_size and self.batch_size != len(faces):
                m = np.concatenate([m, np.repeat(m[-1:], self.batch_size - real, axis=0)])
                f = np.concatenate([f, np.repeat(f[-1:], self.batch_size - real, axis=0)])
            out = self.session.run([self.output_name], {c.mel_input: m, c.face_input: f})[0]
            outputs.append(np.asarray(out, np.float32)[:real])
        return np.concatenate(outputs) if outputs else np.zeros((0, 3, c.size, c.size), np.float32)

    def render(
        self, bodies: Sequence[BodyFrame], audio: NDArray[np.floating], sample_rate: int, fps: float
    ) -> list[NDArray[np.uint8]]:
        """One frame per body frame with the mouth generated from the audio at the same time."""
        mels = mel_windows(mel_spectrogram(audio, sample_rate), len(bodies), fps, self.contract.mel_steps)
        with compute_threads(self.threads):
            faces, boxes = self.prepare(bodies)
            generated = self.infer(mels, faces)
            return [paste_back(b.image, g, box) for b, g, box in zip(bodies, generated, boxes, strict=True)]


def paste_back(
    image: NDArray[np.uint8], generated: NDArray[np.float32], box: tuple[int, int, int]
) -> NDArray[np.uint8]:
    """A copy of `image` with the lower half of a generated S×S crop blended into the face box."""
    bx, by, side = box
    out = image.copy()
    out[by : by + side, bx : bx + side] = blend_face(image[by : by + side, bx : bx + side], generated)
    return out


def blend_face(face: NDArray[np.uint8], generated: NDArray[np.float32]) -> NDArray[np.uint8]:
    """The square face crop with the lower half of the generated S×S crop blended in (feathered, colour matched).

    On its own so that the render worker can draw into the face region only, never copying a whole frame."""
    import cv2
    import torch

    from render.engine.avatar.warp import to_image, to_tensor

    side = face.shape[0]
    crop: Any = np.clip(generated.transpose(1, 2, 0) * 255.0, 0, 255).astype(np.float32)
    crop = cv2.resize(crop, (side, side), interpolation=cv2.INTER_LINEAR)
    blended = match_and_blend(to_tensor(face), torch.from_numpy(crop).permute(2, 0, 1), _mouth_alpha(side))
    return to_image(blended)


@functools.lru_cache(maxsize=8)
def _mouth_alpha(side: int) -> Any:
    """The feathered mask of the mouth area of a face crop: it depends on the crop size only, so it is blurred once
    per size rather than once per frame (a Gaussian blur of a face-sized image each frame)."""
    import cv2
    import torch

    alpha: Any = np.zeros((side, side), np.float32)
    alpha[int(side * 0.55) : int(side * 0.93), int(side * 0.15) : int(side * 0.85)] = 1.0
    alpha = cv2.GaussianBlur(alpha, (0, 0), max(side * 0.04, 1.0))
    return torch.from_numpy(alpha)

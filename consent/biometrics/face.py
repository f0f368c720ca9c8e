"""Face detection and 128-D identity embeddings with dlib, and statement-vs-sample face matching.

Models (all shipped in pip wheels, nothing downloaded at run time):
- detector: dlib's HOG frontal face detector, run on a frame downscaled to at most 960 px wide (about 40 ms instead
  of 75 ms on a 720p frame). HOG finds faces from 80 px, so a face must span about 1/12 of the frame's width: a
  webcam statement's face spans a third or more;
- alignment: the 5-point shape predictor (CC0; the 68-point model's iBUG 300-W licence excludes commercial use);
- identity: dlib's ResNet `face_recognition_model_v1` (public domain), 128-D, run on the full-resolution frame.

Matching uses the median of all statement x sample pairwise Euclidean distances, so a few bad frames (blur, a turned
head) cannot decide alone. Calibration (see docs in `FACE_MATCH_THRESHOLD` and bench/bench_face_match.py): the model's
usual threshold is 0.6; we use the stricter 0.5 on the median, as offline-models.md suggests for many frames.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from consent.biometrics.errors import MediaRejected
from consent.biometrics.media import VideoInfo, VideoSource, probe_video, sample_frames

if TYPE_CHECKING:
    import numpy as np

# Calibrated on the public-domain portraits (tests/consent/biometrics/test_face_match_threshold_is_calibrated.py):
# the same person under crops, zoom, brightness, flips, small rotations and JPEG stays below ~0.25 (median over
# frames); different people sit at 0.65-0.9. 0.5 leaves margin on both sides; recalibrate on real consent videos.
FACE_MATCH_THRESHOLD = 0.5
DEFAULT_SAMPLED_FRAMES = 12
DETECTION_MAX_SIDE = 960
# HOG scores: real faces in our test media score 0.45-1.5, the astronaut's mission patch 0.08-0.17. The strongest
# detection counts as a face at dlib's own threshold (0); any further detection counts as a second person only from
# this score, so that a patch or a poster does not turn a valid statement into `multiple_faces`.
SECOND_FACE_MIN_SCORE = 0.3
EMBEDDING_SIZE = 128


@dataclass(frozen=True)
class FaceBox:
    left: int
    top: int
    right: int
    bottom: int
    score: float = 0.0


class FaceTrackSummary(NamedTuple):
    """What the sampled frames showed. `embeddings` has one 128-D vector per frame with exactly one face."""

    frames_sampled: int
    frames_with_one_face: int
    frames_with_several: int
    embeddings: list[np.ndarray]


@dataclass(frozen=True)
class FaceMatch:
    distance_median: float
    distance_p90: float
    frames_used: int  # statement frames with one face (each compared with every sample embedding)
    decision: Literal["match", "no_match"]
    threshold: float

    @property
    def is_match(self) -> bool:
        return self.decision == "match"


@functools.cache
def _models() -> tuple[Any, Any, Any]:
    """Load the detector, the 5-point predictor and the ResNet once per process (about 0.3 s)."""
    import dlib
    import face_recognition_models

    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(face_recognition_models.pose_predictor_five_point_model_location())
    recogniser = dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())
    return detector, predictor, recogniser


def detect_faces(rgb: np.ndarray, *, max_side: int = DETECTION_MAX_SIDE) -> list[FaceBox]:
    """Face boxes in full-frame coordinates, strongest first, found by HOG on a downscaled copy of the frame."""
    import numpy as np

    detector, _, _ = _models()
    height, width = rgb.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    small = rgb if scale == 1.0 else _resize(rgb, round(width * scale), round(height * scale))
    # Small frames (a thumbnail, a 320x240 upload) get one upsampling pass so faces of 40 px are still found.
    upsample = 1 if max(small.shape[:2]) < 400 else 0
    rects, scores, _ = detector.run(np.ascontiguousarray(small), upsample, 0.0)
    boxes = sorted(
        (
            FaceBox(
                left=round(r.left() / scale),
                top=round(r.top() / scale),
                right=round(r.right() / scale),
                bottom=round(r.bottom() / scale),
                score=float(score),
            )
            for r, score in zip(rects, scores, strict=True)
        ),
        key=lambda box: box.score,
        reverse=True,
    )
    return boxes[:1] + [box for box in boxes[1:] if box.score >= SECOND_FACE_MIN_SCORE]


def _resize(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    import numpy as np
    from PIL import Image

    return np.asarray(Image.fromarray(rgb).resize((width, height), Image.Resampling.BILINEAR))


def embed_face(rgb: np.ndarray, box: FaceBox) -> np.ndarray:
    """The 128-D identity embedding of the face in `box` (5-point alignment on the full-resolution frame)."""
    import dlib
    import numpy as np

    _, predictor, recogniser = _models()
    frame = np.ascontiguousarray(rgb)
    shape = predictor(frame, dlib.rectangle(box.left, box.top, box.right, box.bottom))
    return np.asarray(recogniser.compute_face_descriptor(frame, shape, 0), dtype=np.float32)


def summarise_frames(frames: Sequence[np.ndarray]) -> FaceTrackSummary:
    one = several = 0
    embeddings: list[np.ndarray] = []
    for rgb in frames:
        boxes = detect_faces(rgb)
        if len(boxes) == 1:
            one += 1
            embeddings.append(embed_face(rgb, boxes[0]))
        elif len(boxes) > 1:
            several += 1
    return FaceTrackSummary(len(frames), one, several, embeddings)


def face_track_summary(
    video: VideoSource, *, frames: int = DEFAULT_SAMPLED_FRAMES, info: VideoInfo | None = None
) -> FaceTrackSummary:
    """Sample `frames` frames spread over the video and count faces in each; embed the one-face frames.

    Pass `info` from an earlier `probe_video` to skip the demux pass.
    """
    info = info or probe_video(video)
    return summarise_frames(sample_frames(video, info, count=frames))


def compare_faces(
    statement_embeddings: Sequence[np.ndarray],
    sample_embeddings: Sequence[np.ndarray],
    *,
    threshold: float = FACE_MATCH_THRESHOLD,
) -> FaceMatch:
    """Median (and 90th percentile) of all pairwise distances; a match when the median is at most `threshold`."""
    import numpy as np

    if not statement_embeddings:
        raise MediaRejected("no_face", "no usable face was found in the statement video")
    if not sample_embeddings:
        raise MediaRejected("no_face", "no usable face was found in the training sample")
    a = np.stack([np.asarray(e, dtype=np.float64) for e in statement_embeddings])
    b = np.stack([np.asarray(e, dtype=np.float64) for e in sample_embeddings])
    if a.shape[1] != EMBEDDING_SIZE or b.shape[1] != EMBEDDING_SIZE:
        raise ValueError(f"face embeddings must be {EMBEDDING_SIZE}-D")
    distances = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2).ravel()
    median = float(np.median(distances))
    return FaceMatch(
        distance_median=median,
        distance_p90=float(np.percentile(distances, 90)),
        frames_used=len(statement_embeddings),
        decision="match" if median <= threshold else "no_match",
        threshold=threshold,
    )


def embeddings_to_bytes(embeddings: Sequence[np.ndarray]) -> bytes:
    """Little-endian float32 rows, for storing a sample's embeddings (encrypt them: they are biometric data)."""
    import numpy as np

    if not embeddings:
        return b""
    return np.stack([np.asarray(e, dtype="<f4") for e in embeddings]).tobytes()


def embeddings_from_bytes(blob: bytes) -> list[np.ndarray]:
    import numpy as np

    row = EMBEDDING_SIZE * 4
    if len(blob) % row:
        raise ValueError("not a sequence of 128-D float32 embeddings")
    matrix = np.frombuffer(blob, dtype="<f4").reshape(-1, EMBEDDING_SIZE)
    return [matrix[i].copy() for i in range(matrix.shape[0])]

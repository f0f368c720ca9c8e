"""Build an avatar from a decoded sample video: face track, head pose, mouth bank, idle loop and gesture clips.

One pass over the frames, in order, runs mediapipe's face mesh in tracking mode on every frame (about 4-6 ms per 720p
frame here, so a 60 s 720p25 sample costs ~10 s; see bench/bench_lipsync.py) and keeps only small things: landmarks,
a 160×90 grey thumbnail and a canonical mouth crop per frame. The idle loop and the gesture clips are then cut by
random access into `frames` (any `Sequence`: a list, an array, or a lazy decoder).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.assets import BANK_BOX, AvatarAssets, Clip, MouthBank
from render.engine.avatar.face import (
    LEFT_EYE,
    LIP_POINTS,
    RIGHT_EYE,
    STABLE_POINTS,
    NoUsableFace,
    apply_affine,
    detect_landmarks,
    eye_frame,
    invert_affine,
    kabsch_euler,
    mouth_shape,
    reset_tracking,
    umeyama_2d,
)
from render.engine.avatar.gestures import GestureMark, suggest_segments, validate_marks

Progress = Callable[[float], None]

MIN_FACE_FRACTION = 0.6
MIN_IOD_PX = 24.0
MIN_MOUTH_TRAVEL = 0.06
MAX_ABS_YAW_DEG = 35.0
THUMB = (160, 90)
JPEG_QUALITY = 92

# mediapipe's tracking graph is one per process; two builds at once would interleave their frames.
_build_lock = threading.Lock()


def _bank_crop(frame: NDArray[np.uint8], to_canon: NDArray[np.float64], width: int, height: int) -> NDArray[np.uint8]:
    import cv2

    u0, v0, u1, v1 = BANK_BOX
    # crop pixel = (canon - box origin) * scale; compose with pixels -> canon.
    sx, sy = width / (u1 - u0), height / (v1 - v0)
    scale = np.array([[sx, 0, -u0 * sx], [0, sy, -v0 * sy]])
    m = scale[:, :2] @ to_canon
    m = np.hstack([m[:, :2], (scale[:, :2] @ to_canon[:, 2] + scale[:, 2])[:, None]])
    crop: Any = cv2.warpAffine(frame, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return np.asarray(crop, dtype=np.uint8)


def _absolute_yaw(pts: NDArray[np.float32]) -> float:
    # The eye line's depth slope: a face turned sideways has one eye much further from the camera.
    left, right = pts[list(LEFT_EYE)].mean(0), pts[list(RIGHT_EYE)].mean(0)
    return float(np.degrees(np.arctan2(right[2] - left[2], right[0] - left[0])))


def _farthest_points(features: NDArray[np.float32], k: int, first: int) -> list[int]:
    chosen = [first]
    dist = np.linalg.norm(features - features[first], axis=1)
    while len(chosen) < min(k, len(features)):
        nxt = int(np.argmax(dist))
        if dist[nxt] <= 1e-9:
            break
        chosen.append(nxt)
        dist = np.minimum(dist, np.linalg.norm(features - features[nxt], axis=1))
    return chosen


def find_idle_loop(
    opening: NDArray[np.float32],
    energy: NDArray[np.float32],
    thumbs: NDArray[np.uint8],
    fps: float,
    *,
    min_seconds: float = 2.0,
    max_seconds: float = 4.0,
) -> tuple[int, int, float]:
    """(start, end, cost) of the frames [start, end) that loop best: quiet mouth, quiet body, frame `end` ≈ `start`.

    Frames without a face carry opening = NaN and are never inside the loop.
    """
    n = len(opening)
    lo = max(round(min_seconds * fps), 2)
    hi = min(round(max_seconds * fps), n - 1)
    if hi < lo:
        lo = hi = n - 1
    bad = np.isnan(opening)
    act = np.where(bad, 1.0, opening - np.nanmin(opening)).astype(np.float64)
    mot = energy.astype(np.float64)
    c_act = np.concatenate([[0.0], np.cumsum(act)])
    c_bad = np.concatenate([[0], np.cumsum(bad)])
    c_mot = np.concatenate([[0.0], np.cumsum(mot)])
    flat = thumbs.reshape(n, -1).astype(np.float32)
    best = (0, min(lo, n), float("inf"))
    for start in range(0, n - lo):
        ends = np.arange(start + lo, min(start + hi, n - 1) + 1)
        if len(ends) == 0:
            break
        length = ends - start
        has_bad = (c_bad[ends] - c_bad[start]) > 0
        mouth = (c_act[ends] - c_act[start]) / length
        motion = (c_mot[ends] - c_mot[start]) / length
        match = np.abs(flat[ends] - flat[start]).mean(axis=1)
        # Weights: 0.005 IOD of mean mouth activity ~ 1 grey level of loop mismatch ~ 0.5 level of body motion.
        # A quiet mouth matters most: the loop plays under every pause, and the seam is cross-faded anyway.
        cost = mouth / 0.005 + match + 2.0 * motion + np.where(has_bad, 1e9, 0.0)
        k = int(np.argmin(cost))
        if cost[k] < best[2]:
            best = (start, int(ends[k]), float(cost[k]))
    return best


def build_avatar(
    frames: Sequence[NDArray[np.uint8]],
    fps: float,
    marks: Sequence[GestureMark] | None = None,
    progress: Progress | None = None,
    *,
    bank_size: int = 96,
    bank_crop_width: int = 192,
    idle_seconds: tuple[float, float] = (2.0, 4.0),
) -> AvatarAssets:
    """Analyse the sample and cut the avatar assets; raises NoUsableFace or GestureMarkError on bad input."""
    import cv2

    report: Progress = progress or (lambda _f: None)
    n = len(frames)
    if fps <= 0:
        raise ValueError("fps must be positive")
    duration = n / fps
    if n < max(int(fps), 2):
        raise NoUsableFace("too_short", f"the sample has {n} frames ({duration:.2f} s); at least 1 s is needed")
    if marks:
        validate_marks(marks, duration)
    first = np.asarray(frames[0])
    if first.ndim != 3 or first.shape[2] != 3 or first.dtype != np.uint8:
        raise ValueError(f"frames must be H×W×3 uint8 RGB, got {first.shape} {first.dtype}")
    h, w = first.shape[:2]
    crop_w = bank_crop_width
    crop_h = round(crop_w * (BANK_BOX[3] - BANK_BOX[1]) / (BANK_BOX[2] - BANK_BOX[0]))

    landmarks = np.full((n, 478, 3), np.nan, np.float32)
    thumbs = np.zeros((n, THUMB[1], THUMB[0]), np.uint8)
    body_masks = np.zeros((n, THUMB[1], THUMB[0]), bool)
    crops: dict[int, NDArray[np.uint8]] = {}
    eye_canon = np.full((n, 478, 2), np.nan, np.float32)
    report(0.0)
    with _build_lock:
        reset_tracking()
        for i in range(n):
            frame = np.asarray(frames[i])
            if frame.shape != first.shape:
                raise ValueError(f"frame {i} is {frame.shape}, frame 0 is {first.shape}")
            grey = cv2.cvtColor(cv2.resize(frame, THUMB, interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
            thumbs[i] = grey
            pts = detect_landmarks(frame, track=True)
            if pts is not None:
                to_eye = eye_frame(pts)
                landmarks[i] = pts
                eye_canon[i] = apply_affine(to_eye, pts)
                crops[i] = _bank_crop(frame, to_eye, crop_w, crop_h)
                # Body region: beside and below the face (not the far background); the face itself, a margin and
                # the chin's travel are blanked so that talking does not count as a gesture.
                x0, y0 = pts[:, 0].min(), pts[:, 1].min()
                x1, y1 = pts[:, 0].max(), pts[:, 1].max()
                bw, bh = x1 - x0, y1 - y0
                sx, sy = THUMB[0] / w, THUMB[1] / h
                body = np.zeros((THUMB[1], THUMB[0]), bool)
                body[max(int(y0 * sy), 0) :, max(int((x0 - 2.0 * bw) * sx), 0) : int((x1 + 2.0 * bw) * sx) + 1] = True
                body[max(int((y0 - 0.3 * bh) * sy), 0) : int((y1 + 0.4 * bh) * sy) + 1,
                     max(int((x0 - 0.3 * bw) * sx), 0) : int((x1 + 0.3 * bw) * sx) + 1] = False  # fmt: skip
                body_masks[i] = body
            if i % 10 == 0:
                report(0.75 * (i + 1) / n)
        reset_tracking()

    found = ~np.isnan(landmarks[:, 0, 0])
    if found.sum() < MIN_FACE_FRACTION * n:
        raise NoUsableFace(
            "face_missing",
            f"a face was found in {int(found.sum())} of {n} frames ({100 * found.mean():.0f}%); "
            f"at least {int(MIN_FACE_FRACTION * 100)}% are needed",
        )
    iods = np.array([1.0 / float(np.linalg.norm(eye_frame(landmarks[i])[0, :2])) for i in np.where(found)[0]])
    if float(np.median(iods)) < MIN_IOD_PX:
        raise NoUsableFace(
            "face_too_small",
            f"the face is {np.median(iods):.0f} px between the eyes; at least {MIN_IOD_PX:.0f} px are needed "
            "(film closer or at a higher resolution)",
        )
    yaws = np.array([_absolute_yaw(landmarks[i]) for i in np.where(found)[0]])
    if float(np.median(np.abs(yaws))) > MAX_ABS_YAW_DEG:
        raise NoUsableFace(
            "face_not_frontal",
            f"the face is turned {np.median(np.abs(yaws)):.0f}° away from the camera; at most "
            f"{MAX_ABS_YAW_DEG:.0f}° is usable",
        )

    # Canonical frame: the median face in eye-frame units, fitted to every frame over the points that do not speak.
    reference = np.nanmedian(eye_canon[found], axis=0).astype(np.float32)
    stable = list(STABLE_POINTS)
    ref3d = np.nanmedian(landmarks[found] / np.array([iods.mean(), iods.mean(), iods.mean()]), axis=0)
    to_px = np.zeros((n, 2, 3), np.float32)
    shapes = np.full((n, 3), np.nan, np.float32)
    pose = np.zeros((n, 3), np.float32)
    for i in np.where(found)[0]:
        m = umeyama_2d(reference[stable], landmarks[i, stable, :2])
        to_px[i] = m
        canon = apply_affine(invert_affine(m), landmarks[i])
        shapes[i] = mouth_shape(canon).as_array()
        pose[i] = kabsch_euler(ref3d[stable], landmarks[i, stable])
    opening = shapes[:, 0]
    travel = float(np.nanpercentile(opening, 98) - np.nanpercentile(opening, 2))
    if travel < MIN_MOUTH_TRAVEL:
        raise NoUsableFace(
            "mouth_never_opens",
            f"the mouth barely moves in the sample (the lip gap varies by {travel:.3f} IOD, at least "
            f"{MIN_MOUTH_TRAVEL} is needed); record the person speaking",
        )
    report(0.8)

    # Body motion energy outside the face, for the idle loop (quiet) and gesture suggestions (busy).
    energy = np.zeros(n, np.float32)
    for i in range(1, n):
        outside = body_masks[i] & body_masks[i - 1]
        if outside.any():
            diff = np.abs(thumbs[i].astype(np.int16) - thumbs[i - 1].astype(np.int16))
            energy[i] = float(diff[outside].mean())
    suggestions = suggest_segments(energy, fps)

    # Mouth bank: the most varied mouths (farthest-point sampling in normalised feature space).
    idx = np.where(found)[0]
    feats = shapes[idx]
    spread = feats.std(axis=0) + 1e-6
    picks = _farthest_points(feats / spread, bank_size, int(np.argmin(feats[:, 0])))
    bank_frames = idx[picks]
    bank = MouthBank(
        crops=np.stack([crops[int(i)] for i in bank_frames]),
        lips=np.stack([eye_canon[int(i)][list(LIP_POINTS)] for i in bank_frames]).astype(np.float32),
        features=shapes[bank_frames].astype(np.float32),
        source_frames=bank_frames.astype(np.int32),
    )
    del crops
    report(0.85)

    start, end, _ = find_idle_loop(
        opening, energy, thumbs, fps, min_seconds=idle_seconds[0], max_seconds=idle_seconds[1]
    )
    spans: list[tuple[str, int, int]] = [("idle", start, end)]
    for mark in marks or []:
        a = round(mark.start_s * fps)
        b = min(max(round(mark.end_s * fps), a + 1), n)
        spans.append((mark.name, a, b))
    total = sum(b - a for _, a, b in spans)
    done = 0
    clips: dict[str, Clip] = {}
    for name, a, b in spans:
        clip_idx = np.arange(a, b)
        good = found[clip_idx]
        if not good.any():
            raise NoUsableFace("face_missing", f"no face in the {name!r} clip ({a / fps:.2f}-{b / fps:.2f} s)")
        # Frames where tracking dropped out borrow the geometry of the nearest frame that has it.
        good_at = clip_idx[good]
        nearest = good_at[np.abs(clip_idx[:, None] - good_at[None, :]).argmin(axis=1)]
        jpeg = []
        for frame_no in clip_idx.tolist():
            ok, buf = cv2.imencode(
                ".jpg", np.asarray(frames[frame_no])[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
            )
            if not ok:  # pragma: no cover - encoding a valid uint8 image does not fail
                raise RuntimeError("JPEG encoding failed")
            jpeg.append(buf.tobytes())
            done += 1
            if done % 10 == 0:
                report(0.85 + 0.15 * done / total)
        clips[name] = Clip(
            name=name,
            start_s=a / fps,
            end_s=b / fps,
            jpeg=jpeg,
            landmarks=landmarks[nearest].astype(np.float32),
            to_px=to_px[nearest].astype(np.float32),
            shapes=shapes[nearest].astype(np.float32),
            pose=pose[nearest].astype(np.float32),
        )

    closed = shapes[found]
    quiet = closed[closed[:, 0] <= np.percentile(closed[:, 0], 30)]
    stats: dict[str, Any] = {
        "frames": n,
        "frames_with_face": int(found.sum()),
        "iod_px": round(float(np.median(iods)), 2),
        "max_opening": round(float(np.nanmax(opening)), 4),
        "head_pose": "2D similarity (Umeyama, stable landmarks) for geometry; 3D Kabsch yaw/pitch/roll for pose",
        "idle_loop_s": [round(start / fps, 3), round(end / fps, 3)],
    }
    report(1.0)
    return AvatarAssets(
        fps=float(fps),
        frame_size=(w, h),
        reference=reference,
        rest_width=float(np.median(quiet[:, 1])),
        rest_opening=float(np.median(quiet[:, 0])),
        clips=clips,
        bank=bank,
        suggestions=suggestions,
        stats=stats,
    )

"""Active liveness: a random sequence of head and face actions, each asked for in its own time window of the statement
recording, verified in order from mediapipe face-mesh landmarks. Pure: no Django, no render import.

Why: a face match and a code prove *who* and *for which grant*, but a pre-recorded or cut clip of the person can hold
both (a code can be dubbed). Actions chosen at random when the code is issued, and asked for at given moments, cannot
be in an older recording: a replayed statement shows other actions, or the same ones at other times.

Signals, per analysed frame (mediapipe `face_mesh` with refined landmarks, 478 points, in pixels):
- yaw: where the nose tip (1) sits between the face's left and right contour points (234, 454), minus its median over
  the recording (people rarely sit square to the camera). The camera image is not mirrored, so when a person turns to
  *their* left the nose moves to the image's right: a positive offset is `turn_left`.
- mouth: inner-lip gap (13-14) over the inter-ocular distance (33-263).
- eyes: the mean eye aspect ratio (159-145 over 33-133, 386-374 over 362-263) against its median (open eyes).

Thresholds were set on synthetic warps of public-domain portraits and on the geometry of a real turn (a 20 degree
head turn moves the nose by about 0.17 of the face width); recalibrate on real recordings.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from consent.biometrics.errors import MediaRejected

if TYPE_CHECKING:
    import numpy as np

ACTIONS = ("turn_left", "turn_right", "open_mouth", "blink")
# What the page asks; the server's refusal names the action in the same words.
ACTION_WORDS = {
    "turn_left": "turn your head to your left",
    "turn_right": "turn your head to your right",
    "open_mouth": "open your mouth wide",
    "blink": "close your eyes",
}
MIN_ACTIONS = 3
LEAD_IN_SECONDS = 2.0  # time to settle in front of the camera before the first action
WINDOW_SECONDS = 2.5
GAP_SECONDS = 0.5
# The page starts its prompts' clock at MediaRecorder's start event, a moment off the first frame's timestamp, and
# people react to a prompt a moment after it shows.
SLACK_SECONDS = 0.75
ANALYSIS_FPS = 10.0
ANALYSIS_MAX_WIDTH = 640
YAW_THRESHOLD = 0.1
# Open mouth: the inner-lip gap grows by this much of the inter-ocular distance over its median (speech moves it
# by about 0.1; a mouth opened wide by 0.3 or more).
MOUTH_OPEN_DELTA = 0.12
BLINK_RATIO = 0.55
# At least this many analysed frames inside a window must show the action (one frame can be a tracking glitch).
MIN_FRAMES_PER_ACTION = 2


@dataclass(frozen=True)
class ChallengeAction:
    action: str
    start: float  # seconds from the start of the recording
    end: float

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "start": self.start, "end": self.end}


def generate_actions(
    count: int = MIN_ACTIONS,
    *,
    lead_in: float = LEAD_IN_SECONDS,
    window: float = WINDOW_SECONDS,
    gap: float = GAP_SECONDS,
    pool: Sequence[str] = ACTIONS,
) -> list[ChallengeAction]:
    """`count` actions drawn with the OS CSPRNG, never the same twice in a row, in consecutive windows."""
    if count < MIN_ACTIONS:
        raise ValueError(f"a liveness challenge needs at least {MIN_ACTIONS} actions")
    chosen: list[str] = []
    while len(chosen) < count:
        candidate = secrets.choice(list(pool))
        if not chosen or candidate != chosen[-1]:
            chosen.append(candidate)
    return [
        ChallengeAction(action, round(lead_in + i * (window + gap), 3), round(lead_in + i * (window + gap) + window, 3))
        for i, action in enumerate(chosen)
    ]


def actions_from_json(items: Sequence[dict[str, Any]]) -> list[ChallengeAction]:
    return [ChallengeAction(str(i["action"]), float(i["start"]), float(i["end"])) for i in items]


def required_seconds(actions: Sequence[ChallengeAction]) -> float:
    """How long the recording must last so every window fits."""
    return max((a.end for a in actions), default=0.0)


@dataclass(frozen=True)
class FrameSignals:
    t: float
    yaw: float | None  # None: no face in this frame
    mouth: float | None
    eyes: float | None


@dataclass(frozen=True)
class ActionResult:
    action: str
    start: float
    end: float
    seen_at: float | None


@dataclass(frozen=True)
class LivenessResult:
    actions: list[ActionResult]
    frames_analysed: int
    frames_with_face: int

    @property
    def passed(self) -> bool:
        return all(a.seen_at is not None for a in self.actions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "frames_analysed": self.frames_analysed,
            "frames_with_face": self.frames_with_face,
            "actions": [
                {"action": a.action, "start": a.start, "end": a.end, "seen_at": a.seen_at} for a in self.actions
            ],
        }


_lock = threading.Lock()


def _distance(points: np.ndarray, a: int, b: int) -> float:
    import numpy as np

    return float(np.hypot(*(points[a, :2] - points[b, :2])))


def frame_signals(t: float, landmarks: np.ndarray | None) -> FrameSignals:
    """The three signals of one frame from 478x2 (or x3) pixel landmarks; all None without a face."""
    if landmarks is None:
        return FrameSignals(t, None, None, None)
    left, right, nose = landmarks[234, 0], landmarks[454, 0], landmarks[1, 0]
    width = float(right - left)
    iod = _distance(landmarks, 33, 263)
    if width <= 1 or iod <= 1:
        return FrameSignals(t, None, None, None)
    yaw = float((nose - left) / width - 0.5)
    mouth = _distance(landmarks, 13, 14) / iod
    eye_left = _distance(landmarks, 159, 145) / max(_distance(landmarks, 33, 133), 1.0)
    eye_right = _distance(landmarks, 386, 374) / max(_distance(landmarks, 362, 263), 1.0)
    return FrameSignals(t, yaw, mouth, (eye_left + eye_right) / 2)


class LivenessAnalyser:
    """Feed decoded frames in order (`add(t, av_frame_or_rgb)`); it keeps about ANALYSIS_FPS of them, downscaled,
    runs the face mesh in tracking mode and keeps only the signals (no pixels are retained)."""

    def __init__(self, *, fps: float = ANALYSIS_FPS, max_width: int = ANALYSIS_MAX_WIDTH) -> None:
        self.interval = 1.0 / fps
        self.max_width = max_width
        self.signals: list[FrameSignals] = []
        self._next = 0.0
        self._mesh: Any = None

    def _face_mesh(self) -> Any:
        if self._mesh is None:
            import mediapipe as mp

            self._mesh = mp.solutions.face_mesh.FaceMesh(
                static_image_mode=False,
                max_num_faces=1,
                refine_landmarks=True,
                min_detection_confidence=0.5,
                min_tracking_confidence=0.5,
            )
        return self._mesh

    def add(self, t: float, frame: Any) -> None:
        import numpy as np

        if t + 1e-6 < self._next:
            return
        self._next = t + self.interval - 1e-3
        if isinstance(frame, np.ndarray):
            rgb = frame
        else:
            scale = min(1.0, self.max_width / frame.width)
            width, height = round(frame.width * scale / 2) * 2, round(frame.height * scale / 2) * 2
            rgb = frame.to_ndarray(width=width, height=height, format="rgb24")
        h, w = rgb.shape[:2]
        with _lock:  # mediapipe graphs are not re-entrant; the lock also bounds its CPU use per process
            result = self._face_mesh().process(np.ascontiguousarray(rgb))
        landmarks = None
        if result.multi_face_landmarks:
            lm = result.multi_face_landmarks[0].landmark
            landmarks = np.array([(p.x * w, p.y * h) for p in lm], dtype=np.float32)
        self.signals.append(frame_signals(t, landmarks))

    def close(self) -> None:
        if self._mesh is not None:
            self._mesh.close()
            self._mesh = None


def _seen(action: str, s: FrameSignals, base: tuple[float, float, float]) -> bool:
    base_yaw, base_mouth, base_eyes = base
    if s.yaw is None or s.mouth is None or s.eyes is None:
        return False
    offset = s.yaw - base_yaw
    if action == "turn_left":
        return offset > YAW_THRESHOLD
    if action == "turn_right":
        return offset < -YAW_THRESHOLD
    if action == "open_mouth":
        return s.mouth - base_mouth > MOUTH_OPEN_DELTA
    if action == "blink":
        # A turned head foreshortens the eyes too: a blink only counts with the head roughly square.
        return abs(offset) < YAW_THRESHOLD and s.eyes < BLINK_RATIO * base_eyes
    raise ValueError(f"unknown liveness action {action!r}")


def verify_actions(
    signals: Sequence[FrameSignals], actions: Sequence[ChallengeAction], *, slack: float = SLACK_SECONDS
) -> LivenessResult:
    """Each action must be seen in its own window (widened by `slack`), in the challenge's order.

    A turn also fails when the opposite turn shows in the same window (a head shaken from side to side shows every
    turn in every window, and proves nothing about the order asked for).
    """
    import numpy as np

    faces = [s for s in signals if s.yaw is not None]
    base_yaw = float(np.median([s.yaw for s in faces])) if faces else 0.0
    base_mouth = float(np.median([s.mouth for s in faces if s.mouth is not None])) if faces else 0.0
    base_eyes = float(np.median([s.eyes for s in faces if s.eyes is not None])) if faces else 0.0
    base = (base_yaw, base_mouth, base_eyes)
    opposite = {"turn_left": "turn_right", "turn_right": "turn_left"}
    results: list[ActionResult] = []
    for a in actions:
        inside = [s for s in signals if a.start - slack <= s.t <= a.end + slack]
        hits = [s for s in inside if _seen(a.action, s, base)]
        contra = a.action in opposite and any(_seen(opposite[a.action], s, base) for s in inside)
        seen_at = round(hits[0].t, 2) if len(hits) >= MIN_FRAMES_PER_ACTION and not contra else None
        results.append(ActionResult(a.action, a.start, a.end, seen_at))
    return LivenessResult(results, len(signals), len(faces))


def require_actions(result: LivenessResult) -> LivenessResult:
    """Raise MediaRejected("action_not_seen") naming the first action that was not seen, with its window."""
    for position, a in enumerate(result.actions, start=1):
        if a.seen_at is None:
            raise MediaRejected(
                "action_not_seen",
                f"action {position} ({ACTION_WORDS.get(a.action, a.action)}) was not seen between "
                f"{a.start:.1f} s and {a.end:.1f} s of the recording; record again and follow the prompts",
            )
    return result

"""The gesture library: named movements cut from the sample, marked by a person or suggested from body motion.

Suggestion is model-free: the frame-difference energy of a small grey thumbnail with the face (and a margin around it)
blanked out, so that talking and small head motion do not count. Stretches where the smoothed energy rises well above
the clip's quiet level (`ratio` × its 30th percentile) become candidates; a person then names them in the portal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.assets import GestureSuggestion

# name -> what the portal shows. "idle" is always cut automatically (the idle loop), the rest come from marks.
GESTURES: dict[str, str] = {
    "idle": "Idle (loop)",
    "greet": "Greet / wave",
    "point_up": 'Point up ("follow")',
    "point_down": 'Point down ("cart / product")',
    "show_price": "Show price",
    "thank": "Thank",
    "nod": "Nod",
}


class GestureMarkError(ValueError):
    """A gesture mark names an unknown gesture or a time span outside the sample."""


@dataclass(frozen=True)
class GestureMark:
    name: str
    start_s: float
    end_s: float


def validate_marks(marks: Sequence[GestureMark], duration_s: float) -> None:
    for mark in marks:
        if mark.name not in GESTURES or mark.name == "idle":
            known = ", ".join(n for n in GESTURES if n != "idle")
            raise GestureMarkError(f"unknown gesture {mark.name!r}; marks may name: {known}")
        if not 0 <= mark.start_s < mark.end_s <= duration_s + 1e-6:
            raise GestureMarkError(
                f"gesture {mark.name!r} spans {mark.start_s:.2f}-{mark.end_s:.2f} s, outside the "
                f"{duration_s:.2f} s sample (or empty)"
            )
        if mark.end_s - mark.start_s < 0.2:
            raise GestureMarkError(f"gesture {mark.name!r} lasts under 0.2 s")
    names = [m.name for m in marks]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise GestureMarkError(f"gesture marked more than once: {', '.join(duplicates)}")


def suggest_segments(
    energy: NDArray[np.float32],
    fps: float,
    *,
    min_seconds: float = 0.5,
    merge_gap_seconds: float = 0.3,
    ratio: float = 1.8,
) -> list[GestureSuggestion]:
    """Candidate gesture spans from per-frame body motion energy (energy[i] = change from frame i-1 to i)."""
    if len(energy) < 3:
        return []
    radius = max(round(fps * 0.12), 1)
    kernel = np.ones(2 * radius + 1, np.float32) / (2 * radius + 1)
    smooth = np.convolve(energy, kernel, mode="same")
    # The quiet level is a low quantile, not the median: a sample may be a third gestures.
    quiet = float(np.percentile(smooth, 30))
    threshold = max(ratio * quiet, 0.5)
    active = smooth > threshold
    spans: list[list[int]] = []
    for i, on in enumerate(active):
        if not on:
            continue
        if spans and i - spans[-1][1] <= merge_gap_seconds * fps:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    out = []
    for a, b in spans:
        if (b - a + 1) / fps < min_seconds:
            continue
        score = float(smooth[a : b + 1].mean() / threshold)
        out.append(GestureSuggestion(start_s=a / fps, end_s=(b + 1) / fps, score=round(score, 3)))
    return sorted(out, key=lambda s: -s.score)

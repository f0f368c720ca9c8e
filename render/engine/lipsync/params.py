"""Per-frame mouth parameters: the input every lip-sync engine is driven by.

`render.engine.speech.mouth_track(speech, fps)` produces them from viseme timings; any object (or mapping) with
`jaw_open`, `lip_width` and `lip_round` sequences in [0, 1] works, so the engines do not depend on the speech package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class MouthParams:
    """jaw_open (0 closed, 1 open speaking mouth), lip_width (0 narrow, 0.5 rest, 1 spread), lip_round (0..1)."""

    jaw_open: NDArray[np.float32]
    lip_width: NDArray[np.float32]
    lip_round: NDArray[np.float32]

    def __post_init__(self) -> None:
        n = len(self.jaw_open)
        for name in ("jaw_open", "lip_width", "lip_round"):
            arr = np.clip(np.asarray(getattr(self, name), dtype=np.float32).reshape(-1), 0.0, 1.0)
            if len(arr) != n:
                raise ValueError(f"mouth parameter {name} has {len(arr)} frames, jaw_open has {n}")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"mouth parameter {name} has non-finite values")
            object.__setattr__(self, name, arr)

    def __len__(self) -> int:
        return len(self.jaw_open)

    @classmethod
    def from_track(cls, track: Any) -> MouthParams:
        """Adapt speech.mouth_track's result (attributes or mapping); missing width/round default to rest."""
        if isinstance(track, MouthParams):
            return track

        def get(name: str) -> Any:
            if isinstance(track, Mapping):
                return track.get(name)
            return getattr(track, name, None)

        jaw = get("jaw_open")
        if jaw is None:
            raise ValueError("a mouth track needs at least jaw_open")
        jaw = np.asarray(jaw, dtype=np.float32)
        width = get("lip_width")
        rnd = get("lip_round")
        return cls(
            jaw,
            np.full_like(jaw, 0.5) if width is None else np.asarray(width, np.float32),
            np.zeros_like(jaw) if rnd is None else np.asarray(rnd, np.float32),
        )

    def smoothed(self, sigma_frames: float) -> MouthParams:
        """Coarticulation: a Gaussian over neighbouring frames, so the mouth anticipates and lingers."""
        if sigma_frames <= 0 or len(self) < 2:
            return self
        radius = max(int(3 * sigma_frames), 1)
        x = np.arange(-radius, radius + 1)
        kernel = np.exp(-0.5 * (x / sigma_frames) ** 2)
        kernel /= kernel.sum()

        def f(a: NDArray[np.float32]) -> NDArray[np.float32]:
            padded = np.pad(a, radius, mode="edge")
            return np.convolve(padded, kernel, mode="valid").astype(np.float32)

        return MouthParams(f(self.jaw_open), f(self.lip_width), f(self.lip_round))

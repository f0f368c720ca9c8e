"""Mouth-bank unit selection (as in Video Rewrite): a Viterbi path over bank entries for a run of frames.

Each frame wants a mouth whose shape features match its target (target cost); consecutive frames want mouths that
look alike (concatenation cost: feature distance plus a small appearance distance between the bank crops), so the
interior (teeth, tongue, shading) does not flicker between entries that match equally well.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.assets import MouthBank

# Feature scales (IOD; roundness is a ratio): a mismatch of one scale unit costs 1.
FEATURE_SCALE = np.array([0.025, 0.06, 0.05], np.float32)


def appearance_distances(bank: MouthBank) -> NDArray[np.float32]:
    """k×k mean absolute difference of small grey versions of the crops, in [0, 1]."""
    import cv2

    small = (
        np.stack(
            [
                cv2.resize(cv2.cvtColor(c, cv2.COLOR_RGB2GRAY), (32, 24), interpolation=cv2.INTER_AREA)
                for c in bank.crops
            ]
        )
        .reshape(len(bank), -1)
        .astype(np.float32)
        / 255.0
    )
    return np.abs(small[:, None, :] - small[None, :, :]).mean(axis=2)


def select_units(
    bank: MouthBank,
    targets: NDArray[np.float32],
    *,
    appearance: NDArray[np.float32] | None = None,
    smoothness: float = 0.5,
) -> NDArray[np.int64]:
    """Bank index per frame for target features (n×3: opening, width, roundness)."""
    n, k = len(targets), len(bank)
    if n == 0:
        return np.zeros(0, np.int64)
    feats = bank.features / FEATURE_SCALE
    unary = (((feats[None, :, :] - targets[:, None, :] / FEATURE_SCALE) ** 2).sum(axis=2)).astype(np.float64)
    pair = ((feats[:, None, :] - feats[None, :, :]) ** 2).sum(axis=2)
    if appearance is not None:
        pair = pair + 40.0 * appearance
    trans = smoothness * pair.astype(np.float64)
    cost = unary[0].copy()
    back = np.zeros((n, k), np.int64)
    for t in range(1, n):
        total = cost[:, None] + trans  # previous i -> current j
        back[t] = np.argmin(total, axis=0)
        cost = total[back[t], np.arange(k)] + unary[t]
    path = np.zeros(n, np.int64)
    path[-1] = int(np.argmin(cost))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path

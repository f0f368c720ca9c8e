"""Seamless paste of a generated region onto a frame: feathered alpha plus colour matching on a skin ring.

Both engines use it. The colour of the pasted region is shifted so that, on a ring just inside the feathered edge
(skin in both images), its mean matches the frame's; with a soft alpha this leaves no visible seam.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import torch


def feathered_polygon(
    shape: tuple[int, int], polygon: NDArray[np.float64], grow: float, sigma: float
) -> NDArray[np.float32]:
    """Alpha in [0, 1]: the polygon grown by `grow` px and blurred with `sigma` px (0 outside, 1 well inside)."""
    import cv2

    mask: Any = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(polygon * 4).astype(np.int32)], 255, cv2.LINE_AA, shift=2)
    if grow > 0:
        k = 2 * round(grow) + 1
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    alpha: Any = mask.astype(np.float32) / 255.0
    if sigma > 0:
        alpha = cv2.GaussianBlur(alpha, (0, 0), sigma)
    return np.asarray(alpha, dtype=np.float32)


def match_and_blend(base: torch.Tensor, overlay: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """base·(1-α) + (overlay + colour offset)·α, with the offset measured where 0.05 < α < 0.6 (the skin ring)."""
    import torch

    ring = ((alpha > 0.05) & (alpha < 0.6)).float()
    # No branch on the ring's size: reading it back would stall a GPU every frame. An empty ring sums to 0 and the
    # offset is 0 / 1; otherwise the weight (a pixel count) is at least 1 and the clamp changes nothing.
    weight = ring.sum().clamp_min(1.0)
    offset = ((base - overlay) * ring).sum(dim=(1, 2), keepdim=True) / weight
    overlay = overlay + offset
    return torch.lerp(base, overlay, alpha.unsqueeze(0) if alpha.dim() == 2 else alpha)


@contextmanager
def compute_threads(threads: int | None) -> Iterator[None]:
    """Run torch and BLAS with `threads` threads inside the block (None: leave them alone).

    Per-frame work here is small (a face-sized region), so thread start-up and, on a shared CPU, spinning threads
    cost more than they give: with 2 threads on a busy 2-core box a spline solve took 60 ms instead of 2 ms. Workers
    scale by running one engine per stream instead.
    """
    if threads is None:
        yield
        return
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        controller = _threadpool_controller()
        if controller is None:  # pragma: no cover - threadpoolctl comes with the scientific stack
            yield
        else:
            with controller.limit(limits=threads):
                yield
    finally:
        torch.set_num_threads(previous)


_controller: Any = None


def _threadpool_controller() -> Any:
    """One threadpoolctl controller per process: building one scans every loaded library (/proc/self/maps), which
    cost about 1 ms per frame when an engine was called per segment; the libraries do not change once loaded."""
    global _controller
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover
            return None
        _controller = ThreadpoolController()
    return _controller

"""A viewer of the RTMP ingest that notes WHEN each video frame arrived (monotonic clock) and whether it is the
end slate (render.engine.slate: a dark frame; the avatar never is), for latency measurements."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np


def is_end_slate(gray: np.ndarray) -> bool:
    """Most of the slate is its dark background (luma about 26); the avatar's frames are mostly bright."""
    return float(np.mean(gray < 45)) > 0.7


@dataclass
class Arrivals:
    frames: list[tuple[float, float, bool]] = field(default_factory=list)  # (arrival, pts s, is end slate)
    metadata: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def first_slate_at(self) -> float | None:
        return next((at for at, _pts, slate in self.frames if slate), None)


class TimedViewer:
    def __init__(self, url: str) -> None:
        self.url = url
        self.seen = Arrivals()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="timed-viewer", daemon=True)

    def __enter__(self) -> TimedViewer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def wait(self, condition: Any, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(self.seen):
                return True
            time.sleep(0.02)
        return bool(condition(self.seen))

    def _run(self) -> None:
        import av

        while not self._stop.is_set():
            try:
                container: Any = av.open(self.url, timeout=(3.0, 3.0))
            except Exception as exc:
                self.seen.errors.append(f"open: {exc}")
                time.sleep(0.05)
                continue
            self.seen.metadata.append(dict(container.metadata))
            try:
                for frame in container.decode(video=0):
                    if self._stop.is_set():
                        break
                    gray = frame.to_ndarray(format="gray")[::8, ::8]
                    pts = float(frame.pts * frame.time_base) if frame.pts is not None else -1.0
                    self.seen.frames.append((time.monotonic(), pts, is_end_slate(gray)))
            except Exception as exc:
                self.seen.errors.append(f"read: {exc}")
            finally:
                container.close()

"""An RTMP viewer for the live benches: demuxes the ingest's audio (no decoding) and notes when each packet arrives
(monotonic clock) with its pts, so a bench can time "sent" → "first audio sample heard at the viewer"."""

from __future__ import annotations

import threading
import time
from typing import Any


class AudioViewer:
    def __init__(self, url: str) -> None:
        self.url = url
        self.packets: list[tuple[float, float]] = []  # (arrival, pts in seconds)
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audio-viewer", daemon=True)

    def __enter__(self) -> AudioViewer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def first_at_or_after(self, pts_s: float) -> float | None:
        """When the first packet at or after `pts_s` arrived (None: not yet)."""
        return next((at for at, pts in list(self.packets) if pts >= pts_s - 1e-3), None)

    def _run(self) -> None:
        import av

        while not self._stop.is_set():
            try:
                container: Any = av.open(self.url, timeout=(3.0, 3.0))
            except Exception as exc:  # the publisher is not on yet, or reconnecting: try again
                self.errors.append(f"open: {exc}")
                time.sleep(0.05)
                continue
            try:
                audio = container.streams.audio[0]
                for packet in container.demux(audio):
                    if self._stop.is_set():
                        break
                    if packet.pts is not None:
                        self.packets.append((time.monotonic(), float(packet.pts * packet.time_base)))
            except Exception as exc:
                self.errors.append(f"read: {exc}")
                time.sleep(0.05)
            finally:
                container.close()

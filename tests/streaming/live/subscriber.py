"""A viewer of the RTMP ingest: PyAV reads rtmp://.../live/KEY on a thread, as a player would, and keeps what the
tests check: the stream metadata (onMetaData), every packet's timestamp, decoded video frames and audio samples.

When the ingest ends the stream or goes away, the viewer connects again (a new `session`) until stopped, so a test
sees what a player that reconnects sees across a cut.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Seen:
    metadata: list[dict[str, str]] = field(default_factory=list)  # per session
    packets: list[tuple[int, str, float]] = field(default_factory=list)  # (session, "video"/"audio", dts seconds)
    frames: list[tuple[int, float, np.ndarray]] = field(default_factory=list)  # (session, pts s, RGB) every 15th
    video_frames: int = 0
    audio_samples: int = 0
    errors: list[str] = field(default_factory=list)

    def times(self, kind: str) -> list[float]:
        return [t for _s, k, t in self.packets if k == kind]


class Subscriber:
    def __init__(self, url: str, *, keep_every: int = 15) -> None:
        self.url = url
        self.keep_every = keep_every
        self.seen = Seen()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rtmp-subscriber", daemon=True)

    def __enter__(self) -> Subscriber:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> Seen:
        self._stop.set()
        self._thread.join(timeout=15)
        return self.seen

    def wait_for(self, video_frames: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.seen.video_frames < video_frames and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.seen.video_frames >= video_frames

    def wait_until_video_at(self, seconds: float, timeout: float) -> bool:
        """Wait until a video packet at `seconds` or later has been read (the last packets of a push arrive after
        `close()` returns: the muxer flushes them with the trailer)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            times = self.seen.times("video")
            if times and times[-1] >= seconds:
                return True
            time.sleep(0.05)
        return False

    def _run(self) -> None:
        import av

        session = 0
        while not self._stop.is_set():
            try:
                container: Any = av.open(self.url, timeout=(3.0, 3.0))
            except Exception as exc:  # no publisher yet, or the ingest is down: try again
                self.seen.errors.append(f"open: {exc}")
                time.sleep(0.1)
                continue
            self.seen.metadata.append(dict(container.metadata))
            try:
                for packet in container.demux():
                    if self._stop.is_set():
                        break
                    if packet.dts is None or packet.size == 0:
                        continue
                    kind = packet.stream.type
                    self.seen.packets.append((session, kind, float(packet.dts * packet.time_base)))
                    for frame in packet.decode():
                        if kind == "video":
                            if self.seen.video_frames % self.keep_every == 0:
                                pts = float(frame.pts * frame.time_base) if frame.pts is not None else -1.0
                                self.seen.frames.append((session, pts, frame.to_ndarray(format="rgb24")))
                            self.seen.video_frames += 1
                        else:
                            self.seen.audio_samples += frame.samples
            except Exception as exc:  # the connection went away: a new session
                self.seen.errors.append(f"read: {exc}")
            finally:
                container.close()
            session += 1

"""The live runner's output thread: pushes the published segments to the RTMP ingest while the runner renders ahead.

Why a thread: `RtmpPusher.push` paces in real time (it blocks for about one segment length), and the runner must
keep rendering (and archiving) the next segment meanwhile, outages included. The two meet at a bounded queue.

What only this thread can do fast enough is stop: a segment being pushed may have been rendered a few seconds ahead,
so a consent revocation checked only where segments are rendered would let those seconds still go out. The thread
asks `should_stop` (the runner's cheap check, throttled to every `check_every_s`) before every video frame it
sends; when it says stop, the segment is cut there, whatever was queued is dropped, and the end slate rendered in
advance (`end_slate`) goes out at once. The runner learns of it from `stopped_because`.

Segments whose air time is long past when the thread gets to them (after an outage) are dropped: a viewer wants
the live picture, not a replay of the backlog; the archive keeps every segment anyway.

Pure library (no Django): `should_stop` and the outage callback are the runner's.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from render.engine.encode import EncodedPart
from streaming.live.rtmp import Outage, RtmpError, RtmpGaveUpError, RtmpPusher

logger = logging.getLogger(__name__)


class NullPusher:
    """Pushes nowhere: a runner with no ingest to reach (the demo run without VERACAST_DEMO_RTMP_URL) still renders,
    archives and publishes the HLS playlists, and still stops for a revocation between segments. The timeline
    advances by `segment_s` per segment."""

    masked_url = "(no RTMP output)"

    def __init__(self, *, segment_s: float, start_at_s: float = 0.0, fps: int = 30) -> None:
        self._segment_s = segment_s
        self._cursor = start_at_s
        self._fps = fps

    @property
    def timeline_s(self) -> float:
        return self._cursor

    def push(self, segment: bytes, *, interrupt: Callable[[], bool] | None = None) -> None:
        if interrupt is not None:
            interrupt()
        self._cursor += self._segment_s

    def push_part(self, part: EncodedPart, *, interrupt: Callable[[], bool] | None = None) -> None:
        if interrupt is not None:
            interrupt()
        self._cursor += len(part.video) / self._fps

    def skip_part(self) -> None:
        return None

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class Outgoing:
    """A published segment (`data`, fMP4), or a part of one still being rendered (`part`, its samples)."""

    sequence: int
    data: bytes
    due: float  # monotonic time its first frame is on air
    duration_s: float
    part: EncodedPart | None = None
    ends_segment: bool = True  # the segment's last part (or a whole segment): it counts as pushed


@dataclass
class OutputState:
    pushed: list[int] = field(default_factory=list)  # sequences sent (whole or cut)
    dropped: list[int] = field(default_factory=list)  # sequences skipped as stale
    outages: list[Outage] = field(default_factory=list)  # ended outages not yet taken by the runner
    failure: str = ""  # the push gave up (RtmpGaveUpError) or could not read a segment
    stopped_because: str = ""  # should_stop's reason: the end slate went out
    end_slate_sent_at: float | None = None  # monotonic time the end slate's first frame was handed to the muxer


class LiveOutput:
    def __init__(
        self,
        make_pusher: Callable[[Callable[[Outage], None]], RtmpPusher | NullPusher],
        *,
        should_stop: Callable[[], str],
        end_slate: bytes,
        check_every_s: float = 0.2,
        stale_after_s: float = 4.0,
        queue_size: int = 3,
        on_exit: Callable[[], None] | None = None,
    ) -> None:
        # The pusher reports each ended outage to this output, which hands them to the runner to ledger.
        self.pusher = make_pusher(self._outage)
        self._should_stop = should_stop
        self._end_slate = end_slate
        self._check_every_s = check_every_s
        self._stale_after_s = stale_after_s
        self._on_exit = on_exit  # e.g. close the thread's database connection (should_stop's)
        self._queue: queue.Queue[Outgoing | None] = queue.Queue(maxsize=queue_size)
        self._lock = threading.Lock()
        self.state = OutputState()
        self._last_check = 0.0
        self._closing = threading.Event()
        self._stop_now = threading.Event()
        self._quiet = False
        self._part_lost = False
        self._thread = threading.Thread(target=self._run, name="live-output", daemon=True)

    # -- the runner's side ------------------------------------------------------------------------------------
    def start(self) -> LiveOutput:
        self._thread.start()
        return self

    def send(self, item: Outgoing) -> bool:
        """Queue a published segment without ever blocking the runner (it must keep rendering the archive through an
        outage): when the queue is full, the oldest queued segment is dropped for this newer one. False when the
        output has stopped or failed (nothing more will go out)."""
        if not self.alive:
            return False
        while True:
            try:
                self._queue.put_nowait(item)
                return True
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    dropped = self._queue.get_nowait()
                    if dropped is not None:
                        self._dropped(dropped)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and not self.state.failure and not self.state.stopped_because

    @property
    def timeline_s(self) -> float:
        return self.pusher.timeline_s

    def take_outages(self) -> list[Outage]:
        with self._lock:
            taken, self.state.outages = self.state.outages, []
        return taken

    def stop_with_end_slate(self, reason: str) -> None:
        """End now from the runner's side (an operator ended the stream): cut, then the end slate."""
        with self._lock:
            if not self.state.stopped_because:
                self.state.stopped_because = reason
        self._stop_now.set()

    def stop_quietly(self, *, timeout: float = 15.0) -> None:
        """Stop at once, without the end slate: another worker has the stream now (its push replaces this one)."""
        self._quiet = True
        self._stop_now.set()
        self._thread.join(timeout=timeout)
        self.pusher.close()

    def close(self, *, timeout: float = 15.0) -> None:
        """Let what is queued go out, then end the push."""
        self._closing.set()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join(timeout=timeout)
        self.pusher.close()

    # -- the thread ---------------------------------------------------------------------------------------------
    def _dropped(self, item: Outgoing) -> None:
        if item.part is not None:
            self._part_lost = True
        if item.sequence not in self.state.dropped[-1:]:
            self.state.dropped.append(item.sequence)

    def _outage(self, outage: Outage) -> None:
        with self._lock:
            self.state.outages.append(outage)

    def _interrupt(self) -> bool:
        if self._stop_now.is_set():
            return True
        now = time.monotonic()
        if now - self._last_check < self._check_every_s:
            return False
        self._last_check = now
        try:
            reason = self._should_stop()
        except Exception:  # a failed check must not stop a lawful stream; the runner checks again per segment
            logger.exception("The live output's stop check failed.")
            return False
        if reason:
            with self._lock:
                if not self.state.stopped_because:
                    self.state.stopped_because = reason
            self._stop_now.set()
            return True
        return False

    def _run(self) -> None:
        try:
            while not self._stop_now.is_set():
                try:
                    item = self._queue.get(timeout=0.05)
                except queue.Empty:
                    if self._closing.is_set():
                        return
                    self._interrupt()
                    continue
                if item is None:
                    return
                if time.monotonic() - (item.due + item.duration_s) > self._stale_after_s:
                    self._dropped(item)
                    continue
                if item.part is not None:
                    if self._part_lost:  # the parts after a lost one wait for the next segment's first part
                        self._part_lost = False
                        self.pusher.skip_part()
                    self.pusher.push_part(item.part, interrupt=self._interrupt)
                else:
                    self.pusher.push(item.data, interrupt=self._interrupt)
                if item.ends_segment:
                    self.state.pushed.append(item.sequence)
            if self._quiet:
                return
            # Stopped: drop the rest, send the end slate (unpaced from the cut: it must be seen now).
            while True:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            self.state.end_slate_sent_at = time.monotonic()
            self.pusher.push(self._end_slate)
        except RtmpGaveUpError as exc:  # the pusher reported the outage (not recovered) through on_outage already
            self.state.failure = str(exc)
        except RtmpError as exc:
            self.state.failure = str(exc)
        finally:
            if self._on_exit is not None:
                self._on_exit()

"""The live part of `manage.py demo`: about 50 s of a real live stream on the embedded defaults.

Acme creates a portrait stream of the demo avatar speaking the demo's approved script (looping), bob (the verified
operator) goes live with his passkey (a software authenticator: the demo has no browser), and the live runner runs
in this process (the in-process worker queues nothing; docs/live-runner.md) with the platform's control. A console
thread plays bob at his console meanwhile:

1. heartbeats every 3 s, and an interjection ("at the next sentence") once the stream is on air; at the same time
   viewers' comments arrive through the simulator (interaction.demo_burst): one is answered aloud from the FAQ (after
   the interjection), an abusive one is suppressed, one waits for the operator;
2. once the answer is on air, silence: after the presence timeout (10 s, the shortest allowed) the stream pauses
   to the holding slate;
3. bob comes back: his heartbeat resumes it, and the avatar speaks again;
4. once about 30 s of stream are published and the avatar has spoken again after his return, bob ends it; the
   runner airs the end slate and ends the stream.

The HLS output is written under `<output>/live/` while the stream runs (`live.m3u8`: the sliding window; `archive.m3u8`:
the recording), so a player can follow it. With `VERACAST_DEMO_RTMP_URL=rtmp://host/app/key` the same encode is also
pushed there in real time (watch it in OBS, VLC, or your own nginx-rtmp or SRS); without it nothing is pushed.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import OperationalError, connection
from django.utils import timezone

from accounts.models import Organisation, User
from common.files import make_private_dir, write_private

DEMO_STREAM_TITLE = "Demo live: 丝绒口红 + glass mug"
DEMO_SEGMENTS = 15  # 2 s each: about 30 s of stream before bob ends it
MAX_WALL_S = 600  # the live part ends by then whatever happened (a machine far slower than real time)
PRESENCE_TIMEOUT_S = 10  # the shortest the platform allows: the demo's heartbeat lapse
INTERJECTION = "感谢大家的陪伴，有问题欢迎在评论区留言。"
# The demo stream needs an ingest address even when it pushes nowhere (the form requires one); nothing connects to it.
PLACEHOLDER_RTMP = ("rtmp://127.0.0.1:1935/live", "veracast-demo")


def _rtmp_target() -> tuple[str, str, bool]:
    """(ingest URL, stream key, push?) from VERACAST_DEMO_RTMP_URL=rtmp://host/app/key."""
    url = os.environ.get("VERACAST_DEMO_RTMP_URL", "").strip()
    if not url:
        return (*PLACEHOLDER_RTMP, False)
    base, _, key = url.rstrip("/").rpartition("/")
    if not base or not key or "://" not in base:
        raise ValueError("VERACAST_DEMO_RTMP_URL must look like rtmp://host/app/key")
    return base, key, True


def _passkey(user: User) -> Any:
    from consent.passkeys import relying_party
    from consent.services import begin_passkey_registration, finish_passkey_registration
    from consent.software_authenticator import SoftwareAuthenticator

    rp = relying_party()
    authenticator = SoftwareAuthenticator(rp_id=rp.rp_id, origin=rp.origins[0])
    options = begin_passkey_registration(user=user, rp=rp)
    finish_passkey_registration(user=user, rp=rp, credential=authenticator.register(options), label="demo live")
    return authenticator, rp


def _end_leftovers(brand: Organisation, operator: User) -> None:
    """A demo run that was interrupted leaves its stream live: end it, so this run's schedule does not overlap it."""
    from streaming.models import Stream
    from streaming.streams import change_stream_state

    for stale in Stream.objects.filter(
        organisation=brand, title=DEMO_STREAM_TITLE, state__in=[Stream.State.LIVE, Stream.State.PAUSED]
    ):
        change_stream_state(stream=stale, actor=operator, to=Stream.State.ENDED, reason="a new demo run")


class _Console(threading.Thread):
    """bob at his console, by the stream's published segments; also writes the HLS files as segments appear."""

    def __init__(self, *, stream_id: int, operator: User, out: Path, window: int) -> None:
        super().__init__(name="demo-console", daemon=True)
        self.stream_id, self.operator, self.out, self.window = stream_id, operator, out, window
        self.done = threading.Event()
        self.events: list[dict[str, Any]] = []
        self.error: BaseException | None = None
        self._copied: set[str] = set()
        self.burst_sent = False
        self.back_at = 0  # published segments when bob came back

    def note(self, what: str, **extra: Any) -> None:
        self.events.append({"at": timezone.now().isoformat(), "what": what, **extra})

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # reported by the caller; the stream is ended so the runner returns
            self.error = exc
            self._end_stream("the demo's console failed")
        finally:
            connection.close()

    def _end_stream(self, reason: str) -> None:
        from streaming.models import Stream
        from streaming.operators import operator_change_state

        stream = Stream.objects.get(pk=self.stream_id)
        if stream.state in (Stream.State.LIVE, Stream.State.PAUSED):
            operator_change_state(stream=stream, operator=self.operator, to="ended", reason=reason)

    def _run(self) -> None:
        phase, last_beat, paused_seen_at = "present", 0.0, None
        interjected = False
        deadline = time.monotonic() + MAX_WALL_S
        while not self.done.is_set():
            if time.monotonic() > deadline:  # a machine far too slow for real time: stop rather than run on
                self._end_stream("the demo ran out of time")
                self.note("the demo ran out of time: bob ends the stream")
                return
            try:
                step = self._step(phase, last_beat, paused_seen_at, interjected)
                phase, last_beat, paused_seen_at, interjected = step
            except OperationalError as exc:
                # SQLite (the embedded default) refuses a write that races another thread's commit ("database is
                # locked" on a read-then-write transaction): try again at the next look.
                self.note("the console retries after a busy database", error=str(exc))
            if phase == "gone":
                return
            time.sleep(0.3)

    def _step(
        self, phase: str, last_beat: float, paused_seen_at: int | None, interjected: bool
    ) -> tuple[str, float, int | None, bool]:
        from render.models import Segment
        from streaming.models import Stream
        from streaming.operators import heartbeat, interject, operator_change_state

        stream = Stream.objects.select_related("organisation").get(pk=self.stream_id)
        if stream.state in (Stream.State.ENDED, Stream.State.FAILED):
            self.write_hls()
            return "gone", last_beat, paused_seen_at, interjected
        published = Segment.objects.filter(job__stream_id=str(stream.public_id))
        count = published.count()
        now = time.monotonic()
        if phase == "present" and now - last_beat >= 3:
            heartbeat(stream=stream, operator=self.operator)
            last_beat = now
        if not interjected and count >= 1:
            interject(stream=stream, operator=self.operator, text=INTERJECTION, language="zh")
            interjected = True
            self.note("bob interjects (at the next sentence)", text=INTERJECTION)
        if not self.burst_sent and count >= 1:
            from interaction.demo_burst import send_burst

            self.burst_sent = True
            self.note("viewers comment (the simulator replays a burst)", comments=len(send_burst(stream)))
        if phase == "present" and count >= 3 and _answers_aired(stream, count):
            phase = "away"
            self.note(f"bob leaves the console: no heartbeat for {PRESENCE_TIMEOUT_S} s pauses the stream")
        if phase == "away" and stream.state == Stream.State.PAUSED:
            paused_seen_at = paused_seen_at or count
            if count >= paused_seen_at + 2:  # two holding slates on air
                heartbeat(stream=stream, operator=self.operator)
                last_beat, phase = now, "back"
                self.back_at = count
                self.note("bob is back: his heartbeat resumes the stream")
        if phase == "back" and now - last_beat >= 3:
            heartbeat(stream=stream, operator=self.operator)
            last_beat = now
        # The avatar speaks again for a couple of segments after the return before bob ends the stream.
        if phase == "back" and count >= max(DEMO_SEGMENTS, self.back_at + 3) and stream.state == Stream.State.LIVE:
            operator_change_state(stream=stream, operator=self.operator, to="ended", reason="the demo is over")
            self.note("bob ends the stream")
            phase = "ended"
        self.write_hls()
        return phase, last_beat, paused_seen_at, interjected

    def write_hls(self) -> None:
        from render.publisher import segment_storage
        from streaming.models import Stream
        from streaming.runner.playlists import archive_playlist, live_job, live_playlist

        stream = Stream.objects.get(pk=self.stream_id)
        job = live_job(stream)
        if job is None or not job.init_storage_name:
            return
        storage = segment_storage()
        for name, stored in [
            ("init.mp4", job.init_storage_name),
            *[(s.uri, s.storage_name) for s in job.segments.order_by("sequence")],
        ]:
            if name in self._copied:
                continue
            with storage.open(stored, "rb") as source:
                write_private(self.out / name, source.read())  # a person's likeness: owner-only
            self._copied.add(name)
        write_private(self.out / "live.m3u8", (live_playlist(stream, window=self.window) or "").encode())
        write_private(self.out / "archive.m3u8", (archive_playlist(stream) or "").encode())


def _answers_aired(stream: Any, count: int) -> bool:
    from interaction.demo_burst import burst_answers_spoken

    return burst_answers_spoken(stream, published_through=count - 1)


def run_live_demo(
    *, brand: Organisation, owner: User, operator: User, avatar_id: str, version_id: str, output_dir: str | Path
) -> dict[str, Any]:
    from audit.models import LedgerEvent
    from interaction.demo_burst import burst_summary
    from render.models import Avatar, RenderJob, Segment
    from streaming.models import Interjection
    from streaming.operators import set_presence_timeout
    from streaming.runner.config import RunnerSettings
    from streaming.runner.loop import run_live_stream
    from streaming.streams import begin_go_live, create_stream, go_live, schedule_stream

    out = Path(output_dir) / "live"
    make_private_dir(out)
    for old in out.iterdir():  # the previous run's files: this run's stream is a new one
        if old.is_file():
            old.unlink()
    rtmp_url, stream_key, push = _rtmp_target()
    _end_leftovers(brand, operator)
    avatar = Avatar.objects.get(public_id=avatar_id)
    now = timezone.now()
    stream = create_stream(
        organisation=brand,
        actor=owner,
        title=DEMO_STREAM_TITLE,
        avatar=avatar,
        version_ids=[version_id],
        platform="douyin",
        rtmp_url=rtmp_url,
        stream_key=stream_key,
        starts_at=now,
        stops_at=now + timedelta(minutes=30),
        registration_id="DY-VA-DEMO-0001",
        operator_ids=[str(operator.public_id)],
        resolution="720p-portrait",
        shuffle_within_intents=True,
    )
    stream = set_presence_timeout(stream=stream, actor=owner, seconds=PRESENCE_TIMEOUT_S)
    stream = schedule_stream(stream=stream, actor=owner)
    from consent.scope import challenge_for

    authenticator, rp = _passkey(operator)
    begun = begin_go_live(stream=stream, operator=operator, rp=rp)
    assertion = authenticator.get_assertion(challenge_for(begun["document"]))
    stream = go_live(stream=stream, operator=operator, credential=assertion, rp=rp)
    cfg = RunnerSettings.load()
    console = _Console(stream_id=stream.pk, operator=operator, out=out, window=cfg.preview_window_segments)
    from streaming.operators import heartbeat

    heartbeat(stream=stream, operator=operator)  # bob's console is open when he goes live
    console.start()
    started = time.monotonic()
    try:
        # Paced: the stream airs in real time (the presence timeout is wall-clock time, and a viewer of the RTMP
        # push wants real time).
        outcome = run_live_stream(stream_id=stream.pk, settings=cfg, pace=True, push=push)
    finally:
        console.done.set()
        console.join(timeout=30)
    if console.error is not None:
        raise RuntimeError(f"the demo console failed: {console.error}") from console.error
    console.write_hls()
    wall_s = time.monotonic() - started
    stream.refresh_from_db()
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    segments = list(Segment.objects.filter(job=job).order_by("sequence"))
    spoken = Interjection.objects.filter(stream=stream, state=Interjection.State.SPOKEN).first()
    kinds = list(LedgerEvent.objects.filter(subject=stream.subject).order_by("seq").values_list("kind", flat=True))
    return {
        "stream_id": str(stream.public_id),
        "title": stream.title,
        "state": stream.state,
        "state_reason": stream.state_reason,
        "runner": {"status": outcome.status, "reason": outcome.reason},
        "resolution": stream.resolution,
        "voice": job.settings.get("tts_backend"),  # the platform's default: the neural voice (docs/voice.md)
        "presence_timeout_s": stream.presence_timeout_s,
        "segments": len(segments),
        "duration_s": round(sum(s.duration for s in segments), 3),
        "wall_s": round(wall_s, 1),
        "slates": {str(s.sequence): s.label.get("slate") for s in segments if s.label.get("slate")},
        "interjection": None
        if spoken is None
        else {"text": spoken.text, "spoken_in_segment": spoken.spoken_sequence, "id": str(spoken.public_id)},
        "console": console.events,
        "comments": burst_summary(stream),
        "playlists": {
            "live": str(out / "live.m3u8"),
            "archive": str(out / "archive.m3u8"),
            "init_segment": str(out / "init.mp4"),
            "api_live": f"/api/v1/streams/{stream.public_id}/media/live.m3u8",
            "api_archive": f"/api/v1/streams/{stream.public_id}/media/archive.m3u8",
        },
        "rtmp": {"pushed": push, "url": rtmp_url if push else None},
        "ledger_subject": stream.subject,
        "ledger_kinds": sorted(set(kinds)),
        "console_page": f"/streams/{stream.public_id}/console/",
    }

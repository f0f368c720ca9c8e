"""run_live_stream: one worker's turn at a live stream, from claiming its lease to the end (docs/live-runner.md).

Per segment, in this order:
1. pace: segment n is rendered `lookahead` segments before it is due on air (never earlier), so the output always
   has the next segment in hand and never more than a few seconds of it;
2. hand-over state: outages the output reported are ledgered; a failed push fails the stream; a stop the output made
   (consent revoked or expired, seen between frames) ends it with the end slate;
3. what airs: the stream's state and the LiveControl (operator present? takeover? licence left?) decide between the
   avatar speaking and a labelled slate; the runner's own pauses are transitions with `pause_cause` set;
4. the plan grows one line at a time (pending interjections go first, then queued answers to viewers' comments:
   streaming.runner.answer_lines), each block saved on the lease before it is rendered so a worker taking over
   re-plans the same blocks;
5. publish through render's publisher (consent gate, sign, store, ledger, all in one place), meter it, queue it for
   the RTMP output, renew the lease (a lost lease stops this worker at once: it publishes nothing more).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone

from consent.models import ConsentGrant
from render.models import RenderJob
from render.publisher import segment_storage, stop_job, store_file
from render.runtime import engine_error, renderer_for
from streaming.live.control import Interjection, LiveControl, QueuedAnswer
from streaming.live.output import LiveOutput, NullPusher, Outgoing
from streaming.live.rtmp import ReconnectPolicy, RtmpPusher
from streaming.models import ScriptVersion, Stream, StreamLease
from streaming.runner.answer_lines import plan_answers
from streaming.runner.config import RunnerSettings
from streaming.runner.lease import Claim, claim_lease, ensure_lease_row, release_lease, renew_lease, save_lease_state
from streaming.runner.parts import speak_in_parts
from streaming.runner.plan_blocks import (
    PLAYLIST_LINE,
    Cut,
    cut_made,
    forget_spoken,
    plan_blocks,
    playlist_line_id,
    script_line,
)
from streaming.runner.playlist import PlaylistRefusedError, next_line
from streaming.runner.publishing import (
    FPS,
    live_job_for,
    publish_end_slate,
    publish_slate,
    publish_speech,
    record_outage,
    record_runner_event,
)
from streaming.runner.toned_lines import in_host_tone, toned_next_line
from streaming.stream_keys import StreamKeyUnavailableError, open_stream_key

logger = logging.getLogger(__name__)

State = Stream.State
Cause = Stream.PauseCause
SEGMENT_S = 2.0
FRAMES_PER_SEGMENT = int(SEGMENT_S) * FPS


OUTCOME_KEEPS = 1800  # segments (an hour) of a turn RunOutcome lists: a 24/7 turn must not grow without bound


@dataclass
class RunOutcome:
    status: str  # "ended", "failed", "lease_held", "lease_lost", "not_live", "yielded" (max_segments reached)
    reason: str = ""
    published: list[int] = field(default_factory=list)  # the last OUTCOME_KEEPS sequences this worker published
    slates: dict[int, str] = field(default_factory=dict)  # sequence -> slate kind, for those sequences

    def add(self, sequence: int, slate: str = "") -> None:
        """One more published segment; the oldest are forgotten past OUTCOME_KEEPS (the ledger has them all)."""
        self.published.append(sequence)
        if slate:
            self.slates[sequence] = slate
        if len(self.published) > OUTCOME_KEEPS:
            del self.published[: len(self.published) - OUTCOME_KEEPS]
            oldest = self.published[0]
            for gone in [k for k in self.slates if k < oldest]:
                del self.slates[gone]


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def consent_stop_reason(grant_id: int | None) -> str:
    """The output thread's check, between frames: one indexed read of the grant row."""
    if grant_id is None:
        return "no_consent"
    row = ConsentGrant.objects.filter(pk=grant_id).values_list("status", "valid_until").first()
    if row is None:
        return "no_consent"
    status, until = row
    if status != ConsentGrant.Status.ACTIVE:
        return f"consent_{status}"
    if timezone.now() >= until:
        return "consent_expired"
    return ""


END_REASONS = {
    "consent_revoked": "the influencer revoked the consent",
    "consent_expired": "the consent expired",
    "no_consent": "the stream has no usable consent",
    "consent_refused": "the consent gate refused the next segment",
    "operator_ended": "an operator ended the stream",
    "schedule_over": "the schedule's stop time was reached",
}


class _Run:
    """The state of one worker's turn (kept out of run_live_stream to keep each step readable)."""

    def __init__(
        self, stream: Stream, claim: Claim, control: LiveControl, cfg: RunnerSettings, pace: bool, clock: Any
    ) -> None:
        self.stream = stream
        self.claim = claim
        self.control = control
        self.cfg = cfg
        self.pace = pace
        self.clock = clock
        lease = StreamLease.objects.get(stream=stream)
        self.blocks: list[dict[str, Any]] = list(lease.blocks)
        self.cursor: dict[str, int] = dict(lease.cursor)
        self.timeline_s = float(lease.timeline_s)
        self.outcome = RunOutcome("yielded")
        self.on_air_at = timezone.now()  # when segment `sequence` is on air: set by the loop before it grows the plan
        self.on_air = ""  # the playlist line last reported on air
        # Lines a cut at a frame interrupted, said again from the next segment's start: (line, version, not_before).
        self.pending_restarts: list[tuple[dict[str, Any], str, int]] = []
        self.cut_at_frame_in = -1  # the segment of the last cut at a frame (one per segment)
        self._version_pks: dict[str, int | None] = {}

    # -- plan ------------------------------------------------------------------------------------------------------
    def prepare(self) -> None:
        if not self.blocks:
            first = toned_next_line(self.stream, self.cursor)
            self.blocks = [{"not_before": 0, "lines": [first.line], "version": first.version_id, "from": 0}]
            self.cursor = first.cursor
            save_lease_state(self.claim, blocks=self.blocks, cursor=self.cursor)
            self.job = live_job_for(self.stream, first)
        else:
            self.job = RenderJob.objects.get(stream_id=str(self.stream.public_id))
        self.job = RenderJob.objects.select_related("avatar", "avatar__assets", "brand", "grant").get(pk=self.job.pk)
        StreamLease.objects.filter(stream=self.stream).update(job=self.job)
        self.renderer = renderer_for(self.job)
        self.plan = plan_blocks(self.renderer, self.blocks)  # from the first block the lease kept
        if self.job.init_storage_name:
            with segment_storage().open(self.job.init_storage_name, "rb") as published:
                self.init = self.renderer.adopt_init(published.read())
        else:
            self.init = self.renderer.init_segment()
            stored = store_file(f"{self.job.stream_id}/init.mp4", self.init.data)
            RenderJob.objects.filter(pk=self.job.pk).update(
                init_storage_name=stored, init_manifest_id=self.init.manifest_id
            )
            self.job.init_storage_name, self.job.init_manifest_id = stored, self.init.manifest_id
        last = self.job.segments.order_by("-sequence").first()
        self.sequence = 0 if last is None else last.sequence + 1
        self.previous = None if last is None else last.manifest_id

    def grow(self, interjections: list[Interjection], answers: list[QueuedAnswer] | None = None) -> None:
        """Make the plan cover this segment: pending interjections first, then queued answers to viewers' comments
        (streaming.runner.answer_lines), else the playlist's next line."""
        seq = self.sequence
        for again, version, not_before in self.pending_restarts:  # what a cut at a frame interrupted
            self._append([again], version=version, not_before=not_before)
        self.pending_restarts = []
        cut_in = False  # one at-once cut per segment: a second at-once line follows the first
        for spoken in interjections:
            cut = spoken.at_once and not cut_in and self.cut_at_frame_in != seq
            # Rendering a part at a time, a cut at the segment's start is a cut at its first frame: the same short
            # carry as one between parts (a whole segment cuts in with up to a second of carry to a pause).
            at_frame = seq * self.plan.frames_per_segment if cut and self.cfg.part_frames else None
            cut_in = self.plan_interjection(spoken, cut=cut, at_frame=at_frame) or cut_in
            if at_frame is not None:  # one cut per segment: a second at-once line follows the first
                self.cut_at_frame_in = seq
        if self.stream.answers_at_once and self.cfg.part_frames:
            # The first answer cuts in at this segment's first frame if it can; the others wait for a cut at a later
            # part (streaming/runner/parts.py): one cut per segment, never into another answer.
            first_frame = seq * self.plan.frames_per_segment
            if self.cut_at_frame_in != seq and not cut_in and plan_answers(self, answers or [], at_frame=first_frame):
                self.cut_at_frame_in = seq
        else:
            plan_answers(self, answers or [])
        while self.plan.segment_count <= seq + 1:
            following = toned_next_line(self.stream, self.cursor)  # the room's tone and tier, once per line
            self.cursor = following.cursor
            self._append([following.line], version=following.version_id)

    def plan_interjection(self, spoken: Interjection, *, cut: bool, at_frame: int | None = None) -> bool:
        """Plan an operator's line: queued (after the line on air), or cut in at this segment's start, or (`at_frame`,
        streaming/runner/parts.py) at that frame of the segment being rendered. True when it cut a line short."""
        said = {"id": f"i{spoken.id}", "text": spoken.text, "language": _language_of(spoken.text), "intent": "idle"}
        line = in_host_tone(self.stream, said)
        made = self.append_cutting([line], version="interjection", cut=cut, at_frame=at_frame)
        first = self.plan.blocks[-1][0]
        self.control.mark_interjection_spoken(spoken.id, sequence=first, at=timezone.now())
        record_runner_event(
            self.stream,
            "stream.interjection_planned",
            {
                "interjection": spoken.id,
                "at_once": spoken.at_once,
                "sequence": first,
                "by": spoken.by_user_id,
                **({"at_frame": at_frame} if at_frame is not None else {}),
                **(made.payload() if made is not None else {}),
            },
        )
        return made is not None

    def append_cutting(
        self, lines: list[dict[str, Any]], *, version: str, cut: bool = True, at_frame: int | None = None
    ) -> Cut | None:
        """Append `lines` (cutting in when `cut`, at `at_frame` if given); what they cut is said again after them:
        at once for a cut at a segment boundary, from the next segment's start for a cut at a frame (the cut must
        reach the air first, and the append of a whole line, its TTS, would hold up the next part)."""
        cuts_before = len(self.plan.cuts)
        self._append(lines, version=version, cut=cut, at_frame=at_frame)
        made = cut_made(self.plan, cuts_before, self.blocks)
        restart = [(again, again_version, self.sequence) for again, again_version in (made.restart if made else [])]
        if at_frame is None:
            for again, again_version, _ in restart:
                self._append([again], version=again_version)
        else:
            self.pending_restarts += restart
        return made

    def _append(
        self,
        lines: list[dict[str, Any]],
        *,
        version: str,
        cut: bool = False,
        at_frame: int | None = None,
        not_before: int | None = None,
    ) -> None:
        after = self.sequence if not_before is None else not_before
        self.plan = self.renderer.append(
            self.plan, [script_line(x) for x in lines], not_before=after, cut=cut, at_frame=at_frame
        )
        block = {"not_before": after, "lines": lines, "version": version, "from": self.plan.blocks[-1][0]}
        if cut:
            block["cut"] = True
        if at_frame is not None:
            block["at_frame"] = at_frame
        # Saved before anything of it is rendered: a worker taking over re-plans exactly these blocks.
        self.blocks.append(block)
        save_lease_state(self.claim, blocks=self.blocks, cursor=self.cursor)

    def forget_spoken(self) -> None:
        """Drop the blocks (lease and plan alike) the segments from here no longer need: a 24/7 stream's memory and
        a take-over's re-plan stay bounded (streaming/runner/plan_blocks.py)."""
        trimmed = forget_spoken(self.renderer, self.plan, self.blocks, self.sequence)
        if trimmed is not None:
            self.plan, self.blocks = trimmed
            save_lease_state(self.claim, blocks=self.blocks)

    # -- what airs -------------------------------------------------------------------------------------------------
    def choose_slate(self) -> str:
        """ "" (the avatar speaks) or the slate kind. The control owns the absence pause (enforce_presence pauses a
        stream nobody attends and undoes that pause when someone is back); the runner owns the licence pause."""
        stream_id, now = self.stream.pk, timezone.now()
        state, cause = _state_of(stream_id)
        if state == State.PAUSED and cause in (Cause.NONE, Cause.OPERATOR):
            return "holding"  # an operator's own pause: only an operator resumes it
        left = self.control.live_seconds_left(stream_id, now)
        present = self.control.enforce_presence(stream_id, now)
        state, cause = _state_of(stream_id)
        if left is not None and left <= 0:
            if state == State.LIVE or cause == Cause.LICENCE:
                self._pause(state, Cause.LICENCE, "the influencer's licensed live time for today is used up")
            return "licence"
        if state == State.PAUSED and cause == Cause.LICENCE:
            from streaming.streams import transition_stream

            transition_stream(
                stream=self.stream,
                to=State.LIVE,
                actor=None,
                reason="licensed time is available",
                extra={"pause_cause": Cause.NONE},
            )
            state = State.LIVE
        if not present or state == State.PAUSED:
            return "holding"
        if self.control.takeover_active(stream_id):
            return "takeover"
        return ""

    # -- for the console and the meter -----------------------------------------------------------------------------
    def report_line(self, line_ids: tuple[str, ...] | list[str]) -> None:
        """Tell the control which playlist line is on air (the last one heard in the segment just published)."""
        heard = [x for x in line_ids if PLAYLIST_LINE.match(x)]
        if not heard or heard[-1] == self.on_air:
            return
        self.on_air = heard[-1]
        planned = [x["id"] for b in self.blocks for x in b["lines"] if PLAYLIST_LINE.match(x["id"])]
        following: str | None = None
        if self.on_air in planned and planned.index(self.on_air) + 1 < len(planned):
            following = planned[planned.index(self.on_air) + 1]
        else:
            with contextlib.suppress(PlaylistRefusedError):
                following = next_line(self.stream, self.cursor).line["id"]
        index = self._line_index(self.on_air)
        next_index = self._line_index(following) if following else None
        self.control.line_on_air(self.stream.pk, index=index, next_index=next_index)

    def _line_index(self, spoken_id: str) -> int:
        _loop, entry, line_id = playlist_line_id(spoken_id).split(".", 2)
        if not hasattr(self, "_entry_lines"):
            self._entry_lines = [
                [str(line.get("id")) for line in (e.version.lines or [])]
                for e in self.stream.playlist.select_related("version").order_by("position")
            ]
        e = int(entry)
        before = sum(len(lines) for lines in self._entry_lines[:e])
        lines = self._entry_lines[e] if e < len(self._entry_lines) else []
        return before + (lines.index(line_id) if line_id in lines else 0)

    def version_pk(self, line_ids: tuple[str, ...] | list[str]) -> int | None:
        """The script version (primary key, what metering records) of the playlist line heard last in a segment;
        None for a segment of only an interjection or the disclosure."""
        heard = [x for x in line_ids if PLAYLIST_LINE.match(x)]
        if not heard:
            return None
        public_id = next(
            (b["version"] for b in reversed(self.blocks) for x in b["lines"] if x["id"] == heard[-1]), None
        )
        if public_id is None or public_id == "interjection":
            return None
        if public_id not in self._version_pks:
            self._version_pks[public_id] = (
                ScriptVersion.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
            )
        return self._version_pks[public_id]

    def _pause(self, state: str, cause: str, reason: str) -> None:
        from streaming.streams import transition_stream

        if state == State.LIVE:
            transition_stream(
                stream=self.stream, to=State.PAUSED, actor=None, reason=reason, extra={"pause_cause": cause}
            )
        elif state == State.PAUSED:
            Stream.objects.filter(pk=self.stream.pk).update(pause_cause=cause)


def _state_of(stream_id: int) -> tuple[str, str]:
    state, cause = Stream.objects.filter(pk=stream_id).values_list("state", "pause_cause").get()
    return str(state), str(cause)


def _language_of(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def run_live_stream(
    *,
    stream_id: int,
    holder: str | None = None,
    control: LiveControl | None = None,
    settings: RunnerSettings | None = None,
    max_segments: int | None = None,
    pace: bool = True,
    release_at_end: bool = True,
    clock: Callable[[], float] = time.monotonic,
    push: bool = True,
) -> RunOutcome:
    """Claim the stream's lease and run it until it ends, fails, or this worker loses the lease. `control` defaults
    to the platform's (PlatformControl); tests of the media path pass NoControl.

    `max_segments` stops after that many segments WITHOUT releasing the lease when `release_at_end` is False: what a
    worker that dies looks like to the next one (tests, benchmarks). `push` False: no RTMP output at all (the demo
    without an ingest to reach); the archive and the HLS playlists are the same."""
    cfg = settings or RunnerSettings.load()
    if control is None:  # production, the demo, the Celery task: the operator console and licence metering
        from streaming.runner.platform_control import PlatformControl

        control = PlatformControl()
    holder = holder or holder_name()
    stream = Stream.objects.select_related("organisation", "avatar", "consent_grant").get(pk=stream_id)
    if stream.state not in (State.LIVE, State.PAUSED):
        return RunOutcome("not_live", stream.state)
    ensure_lease_row(stream)
    claim = claim_lease(stream_id=stream.pk, holder=holder, seconds=cfg.lease_seconds)
    if claim is None:
        return RunOutcome("lease_held")
    Stream.objects.filter(pk=stream.pk).update(runner_status=Stream.RunnerStatus.RUNNING)
    run = _Run(stream, claim, control, cfg, pace, clock)
    try:
        # Planning (TTS of every planned block), the renderer and the end slate can take longer than a lease on a
        # cold or busy worker: renew meanwhile, or the watchdog would hand the stream to another worker.
        with _renewing(claim, cfg):
            run.prepare()
    except PlaylistRefusedError as refused:
        return _finish(run, None, failed=True, reason=refused.code, message=refused.message)
    except Exception as exc:
        failure = engine_error(exc)  # the engine's refusals (settings, framing, script) have stable codes
        if failure is None:
            raise
        return _finish(run, None, failed=True, reason=failure.code, message=failure.message)
    if not renew_lease(claim, seconds=cfg.lease_seconds):
        return RunOutcome("lease_lost")
    record_runner_event(
        stream,
        "stream.runner_claimed",
        {"holder": holder, "claim": claim.claims, "takeover": claim.claims > 1, "next_sequence": run.sequence},
    )
    try:
        with _renewing(claim, cfg):
            output = _start_output(run, push=push)
    except StreamKeyUnavailableError as exc:  # rotated encryption key: the brand must enter the key again
        return _finish(run, None, failed=True, reason="stream_key_unavailable", message=str(exc))
    return _loop(run, output, max_segments=max_segments, release_at_end=release_at_end)


@contextlib.contextmanager
def _renewing(claim: Claim, cfg: RunnerSettings) -> Iterator[None]:
    """Renew the lease every third of its length on a helper thread while the caller does one long step."""
    done = threading.Event()

    def beat() -> None:
        try:
            while not done.wait(cfg.lease_seconds / 3):
                renew_lease(claim, seconds=cfg.lease_seconds)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="lease-renewal", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _start_output(run: _Run, *, push: bool = True) -> LiveOutput:
    from render.engine.slate import render_slate_segment

    stream, cfg = run.stream, run.cfg
    url = ""
    if push:
        key = open_stream_key(stream_public_id=str(stream.public_id), sealed=bytes(stream.stream_key_ciphertext))
        url = f"{stream.rtmp_url.rstrip('/')}/{key}"
    # The end slate is rendered now, so a revocation costs no render time: the output sends it the moment it stops.
    end_slate = render_slate_segment(run.renderer, kind="ended", sequence=0, previous_manifest_id=None).data
    # A worker taking over starts its timeline past the old worker's last saved point plus what it may have sent
    # ahead of it: the receiver sees a short jump forward, never a step back.
    start_at = run.timeline_s + (cfg.lookahead_segments + 1) * SEGMENT_S if run.claim.claims > 1 else run.timeline_s
    grant_id = run.job.grant_id

    def make_pusher(on_outage: Any) -> RtmpPusher | NullPusher:
        if not push:
            return NullPusher(segment_s=SEGMENT_S, start_at_s=start_at, fps=FPS)
        return RtmpPusher(
            url,
            init_segment=run.init.data,
            policy=ReconnectPolicy(max_attempts=cfg.rtmp_max_attempts, give_up_after_s=cfg.rtmp_give_up_seconds),
            on_outage=on_outage,
            pace=run.pace,
            start_at_s=start_at,
            allow_private_hosts=cfg.allow_private_hosts,
        )

    return LiveOutput(
        make_pusher,
        should_stop=lambda: consent_stop_reason(grant_id),
        end_slate=end_slate,
        # Unpaced (tests on a loaded machine, benchmarks): every segment goes out, however late.
        stale_after_s=2 * SEGMENT_S if run.pace else float("inf"),
        queue_size=(cfg.lookahead_segments + 2) * (-(-FRAMES_PER_SEGMENT // cfg.part_frames) if cfg.part_frames else 1),
        on_exit=lambda: connection.close(),  # the output thread's own connection (should_stop's)
    ).start()


def _loop(run: _Run, output: LiveOutput, *, max_segments: int | None, release_at_end: bool) -> RunOutcome:
    cfg, stream = run.cfg, run.stream
    t0, n0 = run.clock(), run.sequence
    wall0 = timezone.now()
    done = 0
    while True:
        due = t0 + (run.sequence - n0) * SEGMENT_S
        if run.pace:
            ahead = cfg.ahead_ms / 1000 if cfg.part_frames else cfg.lookahead_segments * SEGMENT_S
            wait_until = due - ahead
            while run.clock() < wait_until and output.alive:
                time.sleep(min(0.05, max(0.0, wait_until - run.clock())))
        _ledger_outages(run, output)
        if output.state.failure:
            return _finish(run, output, failed=True, reason="rtmp_gave_up", message=output.state.failure)
        if output.state.stopped_because:
            return _end(run, output, output.state.stopped_because)
        if not renew_lease(run.claim, seconds=cfg.lease_seconds, timeline_s=output.timeline_s):
            return _lost(run, output)
        state, stops_at = Stream.objects.filter(pk=stream.pk).values_list("state", "stops_at").get()
        if state in (State.ENDED, State.FAILED):
            output.stop_with_end_slate("operator_ended")
            return _end(run, output, "operator_ended", stream_already_over=True)
        on_air = wall0 + timedelta(seconds=(run.sequence - n0) * SEGMENT_S)
        if on_air >= stops_at:
            return _stop_at_schedule(run, output, stops_at)
        slate = run.choose_slate()
        if slate:
            publication = publish_slate(
                job=run.job,
                renderer=run.renderer,
                kind=slate,
                sequence=run.sequence,
                previous=run.previous,
                on_air=on_air,
            )
        else:
            run.on_air_at = on_air
            try:
                run.grow(run.control.pending_interjections(stream.pk), run.control.pending_answers(stream.pk))
            except PlaylistRefusedError as refused:
                return _finish(run, output, failed=True, reason=refused.code, message=refused.message)
            if cfg.part_frames:
                parted = speak_in_parts(run, output, due=due, on_air=on_air)
                if parted is None:  # the output stopped mid-segment: the next turn reads why
                    if output.state.failure or output.state.stopped_because:
                        continue
                    return _finish(run, output, failed=True, reason="output_stopped", message="the output stopped")
                publication = parted
            else:
                publication = publish_speech(
                    job=run.job,
                    renderer=run.renderer,
                    plan=run.plan,
                    sequence=run.sequence,
                    previous=run.previous,
                    on_air=on_air,
                )
        if not publication.published or publication.record is None or publication.segment is None:
            if publication.status == "failed":
                return _finish(run, output, failed=True, reason=publication.reason, message="the render failed")
            if publication.reason == "already_published":  # another worker has the stream: stop quietly
                return _lost(run, output)
            reason = consent_stop_reason(run.job.grant_id) or "consent_refused"
            output.stop_with_end_slate(reason)
            return _end(run, output, reason)
        record = publication.record
        if not slate:
            run.control.record_live_usage(
                stream.pk,
                seconds=record.duration,
                sequence=run.sequence,
                script_version_id=run.version_pk(record.script_line_ids),
                now=timezone.now(),
            )
            run.report_line(record.script_line_ids)
        if slate or not cfg.part_frames:  # parts went out as they were rendered
            output.send(
                Outgoing(run.sequence, publication_bytes(publication.segment.storage_name), due, record.duration)
            )
        run.outcome.add(run.sequence, slate)
        run.previous = record.manifest_id
        run.sequence += 1
        done += 1
        run.forget_spoken()
        if not renew_lease(run.claim, seconds=cfg.lease_seconds, timeline_s=output.timeline_s):
            return _lost(run, output)
        close_old_connections()
        if max_segments is not None and done >= max_segments:
            output.close()
            _ledger_outages(run, output)
            if release_at_end:
                release_lease(run.claim)
            run.outcome.status = "yielded"
            return run.outcome


def _stop_at_schedule(run: _Run, output: LiveOutput, stops_at: Any) -> RunOutcome:
    """The next segment would air at or after the schedule's stop: let what is queued air until then (paced), then
    the end slate; the stream ends with the reason in the ledger."""
    if run.pace:
        while timezone.now() < stops_at and output.alive:
            if not renew_lease(run.claim, seconds=run.cfg.lease_seconds, timeline_s=output.timeline_s):
                return _lost(run, output)
            time.sleep(min(0.2, max(0.0, (stops_at - timezone.now()).total_seconds())))
    output.stop_with_end_slate("schedule_over")
    return _end(run, output, "schedule_over")


def _ledger_outages(run: _Run, output: LiveOutput) -> None:
    for outage in output.take_outages():
        record_outage(run.stream, outage)


def _lost(run: _Run, output: LiveOutput) -> RunOutcome:
    """Another worker claimed the lapsed lease: it continues; this one must not publish or push anything more."""
    output.stop_quietly()
    run.outcome.status = "lease_lost"
    return run.outcome


def publication_bytes(storage_name: str) -> bytes:
    with segment_storage().open(storage_name, "rb") as stored:
        return bytes(stored.read())


def _end(run: _Run, output: LiveOutput, reason: str, *, stream_already_over: bool = False) -> RunOutcome:
    """The stream ends: the end slate (already on its way to the ingest) goes into the archive, the job and the
    stream end with the reason, the lease is released."""
    from streaming.streams import transition_stream

    output.close()
    _ledger_outages(run, output)
    message = END_REASONS.get(reason, reason)
    publish_end_slate(
        job=run.job,
        renderer=run.renderer,
        sequence=run.sequence,
        previous=run.previous,
        on_air=timezone.now(),
        reason=reason,
    )
    stop_job(run.job.pk, code=reason, message=message)
    if not stream_already_over:
        state = Stream.objects.filter(pk=run.stream.pk).values_list("state", flat=True).get()
        if state in (State.LIVE, State.PAUSED):
            transition_stream(stream=run.stream, to=State.ENDED, actor=None, reason=message)
    Stream.objects.filter(pk=run.stream.pk).update(runner_status=Stream.RunnerStatus.FINISHED)
    release_lease(run.claim)
    run.outcome.status, run.outcome.reason = "ended", reason
    return run.outcome


def _finish(run: _Run, output: LiveOutput | None, *, failed: bool, reason: str, message: str) -> RunOutcome:
    from render.errors import RenderFailed
    from render.publisher import fail_job
    from streaming.streams import transition_stream

    if output is not None:
        output.close()
        _ledger_outages(run, output)
    if getattr(run, "job", None) is not None:
        fail_job(run.job.pk, RenderFailed(reason, message[:500]))
    state = Stream.objects.filter(pk=run.stream.pk).values_list("state", flat=True).get()
    if state in (State.LIVE, State.PAUSED):
        transition_stream(stream=run.stream, to=State.FAILED, actor=None, reason=f"{reason}: {message}"[:500])
    Stream.objects.filter(pk=run.stream.pk).update(runner_status=Stream.RunnerStatus.FAILED)
    release_lease(run.claim)
    run.outcome.status, run.outcome.reason = ("failed" if failed else "ended"), reason
    return run.outcome

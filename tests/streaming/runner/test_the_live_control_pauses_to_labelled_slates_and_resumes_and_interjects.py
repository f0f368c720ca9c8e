"""The runner asks its LiveControl at every segment: an interjection is planned as the next line and marked spoken
with its segment; no operator present → the holding slate (the absence pause itself is the control's
enforce_presence); a takeover shows the takeover slate; no licensed time left → the licence
slate and a licence pause; only segments where the avatar speaks are metered. An operator's own pause shows the
holding slate and the runner never resumes it. Every slate is a published, labelled segment of the archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from audit.models import LedgerEvent
from render.models import RenderJob, Segment
from streaming.live.control import Interjection
from streaming.models import Stream
from streaming.runner.loop import run_live_stream
from streaming.streams import change_stream_state
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import ScriptedControl, live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@dataclass
class SteppedControl(ScriptedControl):
    """One step per segment (live_seconds_left is asked first at each): "speak", "absent", "takeover", "licence"."""

    steps: list[str] = field(default_factory=list)
    step: str = "speak"

    def live_seconds_left(self, stream_id: int, now: datetime) -> float | None:
        self.step = self.steps.pop(0) if self.steps else "speak"
        return 0.0 if self.step == "licence" else 3600.0

    def operator_present(self, stream_id: int, now: datetime) -> bool:
        return self.step != "absent"

    def takeover_active(self, stream_id: int) -> bool:
        return self.step == "takeover"


def test_the_control_drives_pauses_slates_interjections_and_metering(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    bob = personas["bob"]
    control = SteppedControl(
        steps=["speak", "absent", "absent", "speak", "takeover", "licence", "speak"],
        interjections=[Interjection(id=7, text="Thanks for watching, everyone!", at_once=False, by_user_id=bob.pk)],
    )
    outcome = run_live_stream(
        stream_id=stream.pk, control=control, settings=runner_settings(), max_segments=7, pace=False
    )

    assert outcome.status == "yielded", outcome
    assert outcome.slates == {1: "holding", 2: "holding", 4: "takeover", 5: "licence"}
    assert [sequence for sequence, _ in control.usage] == [0, 3, 6]  # slates are not licensed live time
    assert control.spoken
    assert control.spoken[0][0] == 7
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    labels = {s.sequence: s.label.get("slate") for s in Segment.objects.filter(job=job)}
    assert labels == {0: None, 1: "holding", 2: "holding", 3: None, 4: "takeover", 5: "licence", 6: None}
    assert all("box" in s.label for s in Segment.objects.filter(job=job))  # the AI label is on every segment
    moves = [
        (e.kind, e.payload_data["reason"])
        for e in LedgerEvent.objects.filter(
            subject=stream.subject, kind__in=["stream.paused", "stream.resumed"]
        ).order_by("seq")
    ]
    # Absence moves belong to the control's enforce_presence (a scripted control makes none); licence moves are the
    # runner's.
    assert moves == [
        ("stream.paused", "the influencer's licensed live time for today is used up"),
        ("stream.resumed", "licensed time is available"),
    ]
    planned = LedgerEvent.objects.get(subject=stream.subject, kind="stream.interjection_planned").payload_data
    assert planned["interjection"] == 7
    spoken_from = planned["sequence"]
    assert any(line.startswith("i7") for line in Segment.objects.get(job=job, sequence=spoken_from).script_line_ids)

    # An operator's own pause: the holding slate, and the runner does not resume it even with everyone present.
    stream.refresh_from_db()
    change_stream_state(stream=stream, actor=bob, to=Stream.State.PAUSED, reason="a break")
    again = run_live_stream(
        stream_id=stream.pk, control=ScriptedControl(), settings=runner_settings(), max_segments=1, pace=False
    )
    assert again.published == [7]  # a new claim continues at the next sequence
    assert again.slates == {7: "holding"}
    stream.refresh_from_db()
    assert (stream.state, stream.pause_cause) == (Stream.State.PAUSED, Stream.PauseCause.OPERATOR)

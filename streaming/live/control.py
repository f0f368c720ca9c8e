"""What the live runner asks of the rest of the platform at each segment boundary.

The runner (streaming.runner.loop) owns the media loop; operators (streaming.operator_control: interjections,
presence, take-over) and licence metering (streaming.metering: hours_per_day, usage per grant and day) are separate
domains with their own models and pages. This protocol is the seam between them, so the runner can be tested with a
scripted control and each domain without a running stream.

Every method takes the stream's primary key and is called from the runner's process, outside any transaction the
runner holds; each must be cheap (one or two indexed queries), since it runs once per segment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Interjection:
    """A typed line an operator asked the avatar to say; already linted and accepted when it reaches the runner."""

    id: int
    text: str
    # True: cut in at the next frame with a natural cut-in; False: at the next sentence boundary.
    at_once: bool
    by_user_id: int


@dataclass(frozen=True)
class QueuedAnswer:
    """An approved reply to a viewer's comment (docs/live-interaction.md): the stored FAQ answer or an operator's
    linted reply, prefixed with the approved address form. Spoken at the next sentence boundary, after any pending
    interjection and before the playlist's next line (a stream that answers at once: cut into the line on air at
    its next pause); re-checked against the linter by the control just before."""

    id: int  # the answer's own id space (never an interjection's)
    public_id: str  # what the segment record and the ledger name ("answer:<public_id>" is its line id)
    text: str  # exactly what is spoken: address form + approved text
    language: str  # "zh" or "en"
    faq_public_id: str | None  # the FAQ entry it comes from; None for an operator's typed reply
    by_user_id: int  # the operator who sent it, or 0 when the matcher chose it
    # When it was queued (the comment accepted and matched, or the operator's click): how long the viewer has
    # waited. None (scripted controls in tests): it never expires.
    queued_at: datetime | None = None


class LiveControl(Protocol):
    def pending_interjections(self, stream_id: int) -> list[Interjection]:
        """Accepted interjections not yet spoken, oldest first."""
        ...

    def mark_interjection_spoken(self, interjection_id: int, *, sequence: int, at: datetime) -> None:
        """The runner started speaking it in segment `sequence` (ledgered by the implementation)."""
        ...

    def pending_answers(self, stream_id: int) -> list[QueuedAnswer]:
        """Queued answers to viewers' comments, oldest first, each passing the linter now (the implementation
        withdraws one that no longer does and tells the operator)."""
        ...

    def mark_answer_spoken(self, answer_id: int, *, sequence: int, at: datetime) -> None:
        """The runner started speaking it in segment `sequence` (once per answer; ledgered by the implementation)."""
        ...

    def expire_answer(self, answer_id: int, *, waited_s: float, limit_s: float, at: datetime) -> None:
        """The runner will not speak it: it would air `waited_s` after it was queued, past `limit_s`. The comment goes
        back to the operator (once; ledgered by the implementation)."""
        ...

    def operator_present(self, stream_id: int, now: datetime) -> bool:
        """An assigned operator's console sent a heartbeat within the stream's presence timeout."""
        ...

    def enforce_presence(self, stream_id: int, now: datetime) -> bool:
        """Whether an operator is present, after pausing a live stream nobody attends (or undoing that pause once
        someone is back). The runner's only presence call: the implementation owns the absence pause and its
        ledgering (the runner shows the holding slate while this answers False and makes no absence move itself)."""
        ...

    def line_on_air(self, stream_id: int, *, index: int, next_index: int | None) -> None:
        """The runner started line `index` of the playlist (every version's lines in playlist order); `next_index`
        the line it will speak next when that is not index + 1 (shuffled loops), for the operator console."""
        ...

    def takeover_active(self, stream_id: int) -> bool:
        """An operator has taken over: the stream shows the labeled holding slate until they hand back."""
        ...

    def live_seconds_left(self, stream_id: int, now: datetime) -> float | None:
        """Seconds of the consent grant's `hours_per_day` left on the grant's local day at `now`, across all the
        brand's streams; None when the grant sets no daily limit."""
        ...

    def record_live_usage(
        self, stream_id: int, *, seconds: float, sequence: int, script_version_id: int | None, now: datetime
    ) -> None:
        """Meter one published live segment against the stream's grant, brand and local day."""
        ...


class NoControl:
    """No operator console and no licence limit: what a runner does when nothing is asked of it (runner tests of
    the media path). Production wires streaming.runner.platform_control.PlatformControl
    (Django-side, so it is not in this package)."""

    def pending_interjections(self, stream_id: int) -> list[Interjection]:
        return []

    def mark_interjection_spoken(self, interjection_id: int, *, sequence: int, at: datetime) -> None:
        return None

    def pending_answers(self, stream_id: int) -> list[QueuedAnswer]:
        return []

    def mark_answer_spoken(self, answer_id: int, *, sequence: int, at: datetime) -> None:
        return None

    def expire_answer(self, answer_id: int, *, waited_s: float, limit_s: float, at: datetime) -> None:
        return None

    def operator_present(self, stream_id: int, now: datetime) -> bool:
        return True

    def enforce_presence(self, stream_id: int, now: datetime) -> bool:
        return self.operator_present(stream_id, now)

    def line_on_air(self, stream_id: int, *, index: int, next_index: int | None) -> None:
        return None

    def takeover_active(self, stream_id: int) -> bool:
        return False

    def live_seconds_left(self, stream_id: int, now: datetime) -> float | None:
        return None

    def record_live_usage(
        self, stream_id: int, *, seconds: float, sequence: int, script_version_id: int | None, now: datetime
    ) -> None:
        return None

"""PlatformControl: the LiveControl a production runner uses (streaming.live.control), delegating to the domains
that own each answer: the operator console (streaming.operator_control: interjections, presence, take-over, the line
on air), licence metering (streaming.metering: hours_per_day, usage per grant, brand and day) and the answers to
viewers' comments (interaction.answers_on_air).

It lives here, not in streaming.live, because streaming.live imports no Django. Tests of the media path pass
streaming.live.control.NoControl (or a scripted control) explicitly; everything else gets this one."""

from __future__ import annotations

from datetime import datetime

from streaming import metering, operator_control
from streaming.live.control import Interjection, QueuedAnswer


class PlatformControl:
    def pending_interjections(self, stream_id: int) -> list[Interjection]:
        return operator_control.pending_interjections(stream_id)

    def mark_interjection_spoken(self, interjection_id: int, *, sequence: int, at: datetime) -> None:
        operator_control.mark_interjection_spoken(interjection_id, sequence=sequence, at=at)

    def pending_answers(self, stream_id: int) -> list[QueuedAnswer]:
        # Replies to viewers' comments (the interaction app owns them; imported here, not at module level, because
        # interaction imports streaming): re-linted just before they are spoken (docs/live-interaction.md).
        from interaction.answers_on_air import answers_to_speak

        return answers_to_speak(stream_id)

    def mark_answer_spoken(self, answer_id: int, *, sequence: int, at: datetime) -> None:
        from interaction.answers import mark_answer_spoken

        mark_answer_spoken(answer_id, sequence=sequence, at=at)

    def expire_answer(self, answer_id: int, *, waited_s: float, limit_s: float, at: datetime) -> None:
        from interaction.answers_on_air import expire_answer

        expire_answer(answer_id, waited_s=waited_s, limit_s=limit_s, at=at)

    def operator_present(self, stream_id: int, now: datetime) -> bool:
        return operator_control.operator_present(stream_id, now)

    def enforce_presence(self, stream_id: int, now: datetime) -> bool:
        # The one absence mechanism (docs/live-runner.md): the operator domain pauses a live stream with nobody at the
        # console and undoes that pause (here or at the returning operator's heartbeat, naming them). The presence
        # gap itself is ledgered once by operator_present's conditional UPDATE.
        present = operator_control.operator_present(stream_id, now)
        operator_control.enforce_presence(stream_id, now)
        return present

    def takeover_active(self, stream_id: int) -> bool:
        return operator_control.takeover_active(stream_id)

    def line_on_air(self, stream_id: int, *, index: int, next_index: int | None) -> None:
        operator_control.record_line_position(stream_id, index=index, next_index=next_index)

    def live_seconds_left(self, stream_id: int, now: datetime) -> float | None:
        return metering.live_seconds_left(stream_id, now)

    def record_live_usage(
        self, stream_id: int, *, seconds: float, sequence: int, script_version_id: int | None, now: datetime
    ) -> None:
        metering.record_live_usage(
            stream_id, seconds=seconds, sequence=sequence, script_version_id=script_version_id, now=now
        )

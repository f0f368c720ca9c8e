"""A live Acme stream whose assigned operators are bob (real-name verified, with a passkey: he takes it live) and,
when asked, alice (Acme's owner)."""

from __future__ import annotations

from typing import Any

from tests.streaming.streams.helpers import approved_version, go_live_now, new_stream, ready_operator, stream_avatar


def live_stream(personas: dict[str, Any], *, with_alice: bool = False, alice_verified: bool = True) -> Any:
    from streaming.streams import schedule_stream
    from tests.streaming.scripts_factory import verified_reviewer

    operators = [personas["bob"]] + ([personas["alice"]] if with_alice else [])
    stream = new_stream(
        personas,
        stream_avatar(personas),
        approved_version(personas),
        operator_ids=[str(u.public_id) for u in operators],
    )
    if with_alice and alice_verified:
        verified_reviewer(personas["alice"])
    stream = schedule_stream(stream=stream, actor=personas["alice"])
    return go_live_now(stream, personas["bob"], ready_operator(personas))


def kinds(stream: Any) -> list[tuple[str, str]]:
    """(kind, actor) of the stream's ledger events, oldest first."""
    from audit.models import LedgerEvent

    return [(e.kind, e.actor) for e in LedgerEvent.objects.filter(subject=stream.subject).order_by("seq")]

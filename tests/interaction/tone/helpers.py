"""Streams for the tone and strategy tests: approved lines of several intents, rooms made of stored comments and
samples, and a spy on what the engine is asked to speak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

LINES = [
    {"id": "d", "text": "Hi, I am an AI host made by Acme.", "language": "en", "intent": "idle"},
    {"id": "p", "text": "This product is made of pure cotton.", "language": "en", "intent": "product"},
    {"id": "g", "text": "Hello everyone, welcome!", "language": "en", "intent": "greet"},
    {"id": "c", "text": "It is a great deal today.", "language": "en", "intent": "price"},
    {"id": "q", "text": "Yes, it ships in two days.", "language": "en", "intent": "faq"},
    {"id": "t", "text": "Thank you for watching.", "language": "en", "intent": "thanks"},
]


def tone_stream(
    personas: dict[str, Any],
    *,
    lines: list[dict[str, Any]] | None = None,
    built: bool = False,
    live: bool = False,
    **overrides: Any,
) -> Any:
    """An Acme stream of one approved version of `lines`; `built`: a built avatar the runner can render; `live`:
    gone live by bob with his passkey."""
    from streaming.scripts import latest_version
    from streaming.services import create_script
    from streaming.streams import schedule_stream
    from tests.render.helpers import ready_avatar
    from tests.streaming.scripts_factory import approve
    from tests.streaming.streams.helpers import go_live_now, new_stream, ready_operator, stream_avatar

    avatar = ready_avatar(personas) if built else stream_avatar(personas)
    script = create_script(
        organisation=personas["acme"], actor=personas["alice"], title="Tone", language="en", lines=lines or LINES
    )
    version = latest_version(script)
    approve(version, personas["alice"])
    # Landscape: the test sample (640x360) is too small to frame a portrait stream from.
    stream = new_stream(personas, avatar, version, resolution="720p", **overrides)
    if live:
        authenticator = ready_operator(personas)
        stream = schedule_stream(stream=stream, actor=personas["alice"])
        stream = go_live_now(stream, personas["bob"], authenticator)
    return stream


def suppressed(stream: Any, n: int, at: datetime, tag: str = "x") -> None:
    from interaction.models import Comment

    Comment.objects.bulk_create(
        Comment(
            stream=stream,
            external_id=f"{tag}{i}",
            platform="douyin",
            author_hash=f"{i:064d}",
            text="",
            sent_at=at,
            received_at=at,
            decision=Comment.Decision.SUPPRESSED,
            decided_at=at,
        )
        for i in range(n)
    )


def sample(stream: Any, at: datetime, *, viewers: int | None = None, orders: float | None = None) -> None:
    from interaction.models import RoomSample

    RoomSample.objects.create(
        stream=stream, external_id=f"s{at.timestamp()}", at=at, viewers=viewers, orders_per_minute=orders
    )


@dataclass
class SpeechSpy:
    """Wraps the engine's synthesize and stream_opening (they still speak): what each was asked."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    openings: list[dict[str, Any]] = field(default_factory=list)

    def install(self, monkeypatch: Any) -> SpeechSpy:
        import render.engine.stream as engine_stream

        real_synthesize, real_opening = engine_stream.synthesize, engine_stream.stream_opening

        def synthesize(text: str, **kwargs: Any) -> Any:
            speech = real_synthesize(text, **kwargs)
            self.lines.append({"text": text, **kwargs, "duration_s": len(speech.pcm) / speech.sample_rate})
            return speech

        def stream_opening(language: str, **kwargs: Any) -> Any:
            self.openings.append({"language": language, **kwargs})
            return real_opening(language, **kwargs)

        monkeypatch.setattr(engine_stream, "synthesize", synthesize)
        monkeypatch.setattr(engine_stream, "stream_opening", stream_opening)
        return self

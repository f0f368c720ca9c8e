"""The console's current and next line come from the playlist at the position the runner reports: before any report
there is no current line and the next is the first; the playlist loops; a shuffled runner names the next line."""

from __future__ import annotations

from typing import Any

import pytest

from streaming.console_selectors import current_and_next_line, playlist_lines
from streaming.operator_control import record_line_position
from tests.streaming.streams.helpers import new_stream, stream_avatar

pytestmark = pytest.mark.django_db


def _three_line_version(personas: dict[str, Any]) -> Any:
    from streaming.models import ScriptVersion
    from tests.streaming.scripts_factory import approved_script

    approved = approved_script(
        personas,
        [
            {"id": "a", "text": "Hello, I am an AI host.", "language": "en", "intent": "greet"},
            {"id": "b", "text": "Today we look at lipsticks.", "language": "en", "intent": "product"},
            {"id": "c", "text": "Ask me anything in the comments.", "language": "en", "intent": "faq"},
        ],
    )
    return ScriptVersion.objects.get(public_id=approved.version_id)


def test_current_and_next(personas: dict[str, Any]) -> None:
    stream = new_stream(personas, stream_avatar(personas), _three_line_version(personas))
    texts = [line["text"] for line in playlist_lines(stream)]
    assert texts == ["Hello, I am an AI host.", "Today we look at lipsticks.", "Ask me anything in the comments."]

    def shown() -> tuple[str | None, str | None]:
        current, following = current_and_next_line(stream)
        return (current["text"] if current else None, following["text"] if following else None)

    assert shown() == (None, texts[0])
    record_line_position(stream.pk, index=1)
    assert shown() == (texts[1], texts[2])
    record_line_position(stream.pk, index=2)
    assert shown() == (texts[2], texts[0])
    record_line_position(stream.pk, index=5, next_index=1)
    assert shown() == (texts[2], texts[1])

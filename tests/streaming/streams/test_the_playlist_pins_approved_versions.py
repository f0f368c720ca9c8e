"""Only approved versions go on a playlist (409 otherwise); a version approved and then edited keeps airing as
approved: the newer, unapproved version changes nothing of the stream."""

from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from streaming.scripts import latest_version, save_script_version
from streaming.streams import check_go_live, schedule_stream
from tests.streaming.streams.helpers import approved_version, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_the_playlist_pins_versions(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    edited = save_script_version(
        script=version.script,
        actor=personas["alice"],
        lines=[{"id": "g", "text": "Hello everyone, welcome back!", "language": "en", "intent": "greet"}],
        base_number=version.number,
    )
    assert latest_version(version.script).pk == edited.pk

    with pytest.raises(DomainError) as unapproved:
        new_stream(personas, avatar, edited)
    assert (unapproved.value.status_code, unapproved.value.code) == (409, "script_not_approved")

    stream = schedule_stream(stream=new_stream(personas, avatar, version), actor=personas["alice"])
    ready_operator(personas)
    assert [e.version_id for e in stream.playlist.all()] == [version.pk]
    assert check_go_live(stream=stream, operator=personas["bob"]) == []

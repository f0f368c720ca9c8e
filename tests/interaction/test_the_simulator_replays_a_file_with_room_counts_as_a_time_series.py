"""The built-in simulator replays a JSONL (and a CSV) of comments and room samples in order at its pace, through
the same storage as the webhook: comments are stored and decided, viewer and order counts kept as a time series
the feed returns oldest first; `manage.py simulate_comments` does the same from the shell."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from interaction.connectors import replay_file
from interaction.decisions import decide_comment_ids
from interaction.feed_selectors import comment_feed
from interaction.models import Comment, RoomSample
from tests.interaction.helpers import faq_stream

pytestmark = pytest.mark.django_db


def test_a_replay_stores_comments_and_the_room_series(personas: dict[str, Any], tmp_path: Path) -> None:
    stream, _faq, _secret = faq_stream(personas)
    rows = [
        {"offset": 0, "type": "room", "viewers": 120, "orders_per_minute": 2},
        {"offset": 0.5, "author_id": "a", "text": "多久发货？", "events": [{"type": "follow"}]},
        {"offset": 1.0, "type": "room", "viewers": 180, "orders_per_minute": 5.5},
        {"offset": 1.5, "author_id": "b", "text": "你是傻逼"},
    ]
    path = tmp_path / "burst.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    waits: list[float] = []
    ids = replay_file(stream=stream, path=path, speed=1.0, run="t1", sleep=waits.append)
    assert len(ids) == 2
    assert waits
    assert all(w > 0 for w in waits)
    decide_comment_ids(ids)
    assert list(Comment.objects.filter(stream=stream).order_by("pk").values_list("decision", flat=True)) == [
        "answer",
        "suppressed",
    ]
    assert Comment.objects.get(pk=ids[0]).events == [{"type": "follow", "count": 1, "item": ""}]
    room = comment_feed(stream)["room"]
    assert [(r["viewers"], r["orders_per_minute"]) for r in room] == [(120, 2.0), (180, 5.5)]

    csv_path = tmp_path / "more.csv"
    csv_path.write_text("offset,author_id,text\n0,c,可以退货吗？\n0,d,hello\n", encoding="utf-8")
    out = StringIO()
    call_command("simulate_comments", str(stream.public_id), str(csv_path), "--speed", "100", "--decide", stdout=out)
    assert "2 comments stored" in out.getvalue()
    assert Comment.objects.filter(stream=stream).count() == 4
    assert RoomSample.objects.filter(stream=stream).count() == 2

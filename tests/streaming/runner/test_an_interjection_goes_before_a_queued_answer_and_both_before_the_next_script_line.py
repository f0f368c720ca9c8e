"""When an operator's interjection and an answer to a viewer's comment are both waiting at the same segment, the runner
plans the interjection first, then the answer, then the playlist's next line, each after what is already planned:
the saved plan (the lease's blocks, what a worker taking over re-plans) has them in that order, and each is marked
spoken from a segment no earlier than the one before it."""

from __future__ import annotations

from typing import Any

import pytest

from streaming.live.control import Interjection, QueuedAnswer
from streaming.models import StreamLease
from streaming.runner.loop import run_live_stream
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import ControlWithAnswers, live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ANSWER = QueuedAnswer(
    id=41,
    public_id="7d1f4f4e-0000-4000-8000-000000000041",
    text="@viewer, Each jar holds 50 millilitres.",
    language="en",
    faq_public_id="7d1f4f4e-0000-4000-8000-0000000000fa",
    by_user_id=0,
)


def test_interjection_then_answer_then_script(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    control = ControlWithAnswers(
        interjections=[Interjection(id=7, text="Thanks for watching!", at_once=False, by_user_id=personas["bob"].pk)],
        answers=[ANSWER],
    )
    outcome = run_live_stream(
        stream_id=stream.pk, control=control, settings=runner_settings(), max_segments=1, pace=False, push=False
    )
    assert outcome.published == [0], outcome

    blocks = StreamLease.objects.get(stream=stream).blocks
    order = [(b["version"], [x["id"] for x in b["lines"]]) for b in blocks]
    assert [v for v, _ in order][1:3] == ["interjection", "answer"], order
    assert order[1][1] == ["i7"]
    assert order[2][1] == [f"answer:{ANSWER.public_id}"]
    answer_line = blocks[2]["lines"][0]
    assert (answer_line["text"], answer_line["language"]) == (ANSWER.text, "en")
    # The playlist's next line ("f", after the opening "g") waits: it can only be appended after the answer.
    assert not any(line_id.endswith(".f") for _, ids in order for line_id in ids)
    (interjection_id, interjection_at), (answer_id, answer_at) = control.spoken[0], control.answered[0]
    assert (interjection_id, answer_id) == (7, 41)
    assert 0 < interjection_at <= answer_at
    assert len(control.answered) == 1

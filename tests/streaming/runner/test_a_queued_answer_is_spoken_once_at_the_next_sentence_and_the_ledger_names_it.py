"""A viewer's comment answered from the FAQ reaches the air through the platform's control: the runner plans the
queued answer as the next line after what is already planned (the stored text with the approved address form, never
generated words), the segment it starts in names `answer:<public id>` in its record, `interaction.answer_spoken`
names the answer and its FAQ entry (public ids) with that segment, and it is marked and spoken once however many
segments follow (a second worker continuing the stream does not speak it again)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from audit.models import LedgerEvent
from interaction.demo_faq import load_demo_faq
from interaction.ingestion import store_messages
from interaction.models import Answer, Comment
from render.models import RenderJob, Segment
from render.publisher import segment_storage
from streaming.models import StreamLease
from streaming.operators import heartbeat, set_presence_timeout
from streaming.runner.loop import run_live_stream
from tests.interaction.helpers import comment
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _audio_rms(job: RenderJob, sequence: int) -> float:
    import av
    import numpy as np

    storage = segment_storage()
    with storage.open(job.init_storage_name, "rb") as init:
        data = init.read()
    with storage.open(Segment.objects.get(job=job, sequence=sequence).storage_name, "rb") as part:
        data += part.read()
    with av.open(io.BytesIO(data), format="mp4") as media:
        samples = [frame.to_ndarray().astype(np.float64).reshape(-1) for frame in media.decode(audio=0)]
    audio = np.concatenate(samples)
    return float(np.sqrt(np.mean(audio * audio)))


def test_a_queued_answer_is_spoken_once(transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp) -> None:
    stream = live_stream(personas, nginx_rtmp)
    stream = set_presence_timeout(stream=stream, actor=personas["alice"], seconds=300)
    heartbeat(stream=stream, operator=personas["bob"])
    faq = load_demo_faq(organisation=personas["acme"], actor=personas["alice"])
    entry = faq["shipping"]["zh"]
    # Stored like the webhook's comments; the decision runs eagerly on commit and queues the matched answer.
    ids = store_messages(stream=stream, messages=[comment("c1", "多久发货呀")]).comment_ids
    assert Comment.objects.get(pk=ids[0]).decision == "answer"
    answer = Answer.objects.get(comment_id=ids[0])
    assert answer.faq_id == entry.pk

    # The opening block (the disclosure and the first line) is already planned; the answer follows it.
    first = run_live_stream(stream_id=stream.pk, settings=runner_settings(), max_segments=8, pace=False)
    assert first.status == "yielded", first

    answer.refresh_from_db()
    assert answer.state == Answer.State.SPOKEN
    assert answer.spoken_sequence is not None
    assert 0 < answer.spoken_sequence < 8
    line_id = f"answer:{answer.public_id}"
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    named = sorted(s.sequence for s in Segment.objects.filter(job=job) if line_id in s.script_line_ids)
    assert named, "no segment record names the answer"
    assert named[0] == answer.spoken_sequence
    # The segment is ledgered with its line ids: segment.published names the answer too.
    published = LedgerEvent.objects.filter(subject=job.subject, kind="segment.published", payload__contains=line_id)
    assert [e.payload_data["sequence"] for e in published.order_by("seq")] == named
    # It is heard: the answer's segments carry speech, and what is planned is the approved text with its address.
    assert _audio_rms(job, named[0] + 1 if len(named) > 1 else named[0]) > 0.01
    lease_lines = [x for b in StreamLease.objects.get(stream=stream).blocks for x in b["lines"]]
    assert [x["text"] for x in lease_lines if x["id"] == line_id] == ["@用户，" + entry.answer]

    spoken = LedgerEvent.objects.get(subject=stream.subject, kind="interaction.answer_spoken").payload_data
    assert (spoken["answer"], spoken["faq"], spoken["sequence"]) == (
        str(answer.public_id),
        str(entry.public_id),
        answer.spoken_sequence,
    )
    assert spoken["text"] == "@用户，" + entry.answer

    # Another worker continues the stream: the answer is not planned or ledgered again.
    more = run_live_stream(stream_id=stream.pk, settings=runner_settings(), max_segments=2, pace=False)
    assert more.published == [8, 9]
    lease_lines = [x for b in StreamLease.objects.get(stream=stream).blocks for x in b["lines"]]
    assert [x["id"] for x in lease_lines].count(line_id) == 1
    assert LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.answer_spoken").count() == 1

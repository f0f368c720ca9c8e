"""A live stream with the live runner running (platform control, no RTMP push, unpaced so a loaded machine keeps up)
receives the demo's scripted comment burst through the simulator while bob works his console in Chromium:

- "多久发货呀" matches the FAQ: the avatar says the approved answer, heard in the published audio (the segments
  whose records name `answer:<id>` carry speech) and named in the ledger (`interaction.answer_spoken`: answer and FAQ);
- the abusive comment is suppressed: hidden in the console's feed, flagged, never queued or spoken;
- the comparison question is below the confidence threshold: it reaches bob's console with scored suggestions, he
  sends one with a click, and the avatar says that approved answer too."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from audit.models import LedgerEvent
from interaction.connectors.simulator import replay_file
from interaction.demo_faq import load_demo_faq
from interaction.models import Answer, Comment
from render.models import RenderJob, Segment
from render.publisher import segment_storage
from streaming.models import Stream
from streaming.operators import set_presence_timeout
from streaming.runner.loop import RunOutcome, run_live_stream
from tests.portal.conftest import login
from tests.streaming.live_browser.waiting import NoIngest, wait_for
from tests.streaming.runner.helpers import live_stream, runner_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]

BURST = Path(__file__).resolve().parents[2] / "interaction" / "data" / "demo_comments.jsonl"


def _speech_rms(job: RenderJob, sequences: list[int]) -> float:
    """The RMS level of the published audio of these segments (init segment + their fMP4 fragments)."""
    import av
    import numpy as np

    storage = segment_storage()
    with storage.open(job.init_storage_name, "rb") as init:
        data = init.read()
    for segment in Segment.objects.filter(job=job, sequence__in=sequences).order_by("sequence"):
        with storage.open(segment.storage_name, "rb") as part:
            data += part.read()
    with av.open(io.BytesIO(data), format="mp4") as media:
        audio = np.concatenate([f.to_ndarray().astype(np.float64).reshape(-1) for f in media.decode(audio=0)])
    return float(np.sqrt(np.mean(audio * audio)))


def _spoken_segments(job: RenderJob, answer: Answer) -> list[int]:
    line_id = f"answer:{answer.public_id}"
    return sorted(s.sequence for s in Segment.objects.filter(job=job) if line_id in s.script_line_ids)


def test_comments_are_answered_suppressed_or_sent_to_the_operator(page: Any, personas: dict[str, Any]) -> None:
    page.set_default_timeout(20_000)
    stream = live_stream(personas, NoIngest())  # type: ignore[arg-type]
    stream = set_presence_timeout(stream=stream, actor=personas["alice"], seconds=300)
    faq = load_demo_faq(organisation=personas["acme"], actor=personas["alice"])
    login(page, "bob@acme.example", "bob-password-1")
    page.goto(f"/streams/{stream.public_id}/console/")
    expect(page.get_by_test_id("presence")).to_have_attribute("data-present", "true", timeout=15_000)

    # The burst arrives through the simulator (the webhook's storage path); each is decided on commit.
    ids = replay_file(stream=stream, path=BURST, speed=20.0)
    by_text = {c.external_id.rsplit("-", 1)[-1]: c for c in Comment.objects.filter(pk__in=ids)}
    assert {k: c.decision for k, c in by_text.items()} == {"faq": "answer", "abuse": "suppressed", "unsure": "operator"}
    matched = Answer.objects.get(comment=by_text["faq"])
    assert matched.faq_id == faq["shipping"]["zh"].pk

    outcomes: list[RunOutcome] = []

    def runner() -> None:
        from django.db import connection

        try:
            outcomes.append(run_live_stream(stream_id=stream.pk, settings=runner_settings(), pace=False, push=False))
        finally:
            connection.close()

    thread = threading.Thread(target=runner, name="runner", daemon=True)
    thread.start()
    try:
        # bob's console shows the three: the abusive one hidden and flagged, the unsure one with scored suggestions.
        feed = page.get_by_test_id("console-comments")
        abuse = feed.locator(f'[data-comment="{by_text["abuse"].public_id}"]')
        expect(abuse).to_have_attribute("data-decision", "suppressed")
        expect(abuse).to_contain_text("Hidden: flagged by moderation")
        expect(abuse).not_to_contain_text("傻逼")
        expect(page.get_by_test_id("cc-count-flagged")).to_have_text("1")
        unsure = feed.locator(f'[data-comment="{by_text["unsure"].public_id}"]')
        expect(unsure.get_by_test_id("cc-send")).to_have_count(3)
        expect(unsure).to_contain_text("Not sure enough of the best FAQ answer")
        first = by_text["unsure"].candidates[0]
        expect(unsure.locator(".cc-suggestions li").first).to_contain_text(f"({first['score']:.2f})")
        unsure.get_by_test_id("cc-send").first.click()
        expect(page.get_by_test_id("cc-status")).to_have_text("Queued: the avatar will say it at the next sentence.")
        sent = Answer.objects.get(comment=by_text["unsure"])
        assert (sent.source, sent.by_id, sent.text) == ("suggested", personas["bob"].pk, first["answer"])
        expect(unsure.get_by_test_id("cc-send")).to_have_count(0)  # answered: no second answer

        # Both answers are spoken: the segments that name them carry speech, and the ledger names answer and FAQ.
        job = wait_for(
            lambda: RenderJob.objects.filter(stream_id=str(stream.public_id)).first(), timeout=300, what="job"
        )
        for answer in (matched, sent):
            wait_for(
                lambda a=answer: Answer.objects.filter(pk=a.pk, state=Answer.State.SPOKEN).exists(),
                timeout=300,
                what="the answer to be planned",
            )
            answer.refresh_from_db()
            wait_for(
                lambda a=answer: Segment.objects.filter(job=job, sequence__gte=a.spoken_sequence + 2).exists(),
                timeout=300,
                what="the answer's segments",
            )
            job.refresh_from_db()  # its init segment is stored once the runner has prepared
            heard_in = _spoken_segments(job, answer)
            assert heard_in
            assert heard_in[0] == answer.spoken_sequence
            assert _speech_rms(job, heard_in) > 0.01, "the answer's segments are silent"
        spoken = {
            e.payload_data["answer"]: e.payload_data
            for e in LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.answer_spoken")
        }
        assert spoken[str(matched.public_id)]["faq"] == str(faq["shipping"]["zh"].public_id)
        assert spoken[str(sent.public_id)]["faq"] == first["faq"]
        assert spoken[str(matched.public_id)]["text"] == "@用户，" + faq["shipping"]["zh"].answer
        # The abusive comment was never queued, so never spoken.
        assert not Answer.objects.filter(comment=by_text["abuse"]).exists()
        expect(page.get_by_test_id("cc-queued")).to_have_text("None yet.")
    finally:
        Stream.objects.filter(pk=stream.pk).update(state=Stream.State.ENDED)
        thread.join(timeout=120)

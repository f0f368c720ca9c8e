"""A live session end to end, with the live runner running (platform control, no RTMP push, unpaced so a loaded
machine keeps up) while bob works his console in Chromium:

- he types a line in the console; the avatar says it: the ledger has it spoken with its segment, that segment's
  line ids name it, and Whisper (base, as the consent checks use it) hears its words in the archived audio;
- he leaves the console (no heartbeat for the 10 s timeout): the stream pauses to the holding slate, by the
  system; he opens the console again and his heartbeat resumes it;
- iris revokes her consent: the end slate airs and the stream ends, which his console shows.

One file for the three: each needs the same running stream, and on a two-core machine one stream is minutes."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from audit.models import LedgerEvent
from render.models import RenderJob, Segment
from streaming.models import Interjection, Stream
from streaming.operators import set_presence_timeout
from streaming.runner.loop import RunOutcome, run_live_stream
from tests.consent.helpers import revoke_with_passkey
from tests.portal.conftest import login
from tests.streaming.live_browser.waiting import NoIngest, wait_for
from tests.streaming.runner.helpers import live_stream, runner_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]

LINE = "Thanks for watching, everyone!"


def _heard(job: RenderJob, first: int, count: int) -> str:
    """Whisper's transcript of `count` archived segments from `first` (init segment + fMP4 fragments)."""
    import io

    import av
    import numpy as np

    from consent.biometrics.speech import load_model, transcribe
    from render.publisher import segment_storage

    storage = segment_storage()
    with storage.open(job.init_storage_name, "rb") as init:
        data = init.read()
    for segment in Segment.objects.filter(job=job, sequence__gte=first).order_by("sequence")[:count]:
        with storage.open(segment.storage_name, "rb") as part:
            data += part.read()
    samples: list[Any] = []
    with av.open(io.BytesIO(data), format="mp4") as media:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=16000)
        for frame in media.decode(audio=0):
            samples += [r.to_ndarray().reshape(-1) for r in resampler.resample(frame)]
    audio = np.concatenate(samples).astype(np.float32)
    text, _language = transcribe(load_model(str(settings.MODEL_CACHE_DIR)), audio, language="en")
    return text.lower()


def test_a_live_session(page: Any, personas: dict[str, Any]) -> None:
    page.set_default_timeout(20_000)
    stream = live_stream(personas, NoIngest())  # type: ignore[arg-type]
    grant = stream.grant_used  # with iris's passkey authenticator, for the revocation
    stream = set_presence_timeout(stream=stream, actor=personas["alice"], seconds=10)
    login(page, "bob@acme.example", "bob-password-1")
    console = f"/streams/{stream.public_id}/console/"
    page.goto(console)
    expect(page.get_by_test_id("presence")).to_have_attribute("data-present", "true", timeout=15_000)

    page.get_by_test_id("interjection-text").fill(LINE)
    page.get_by_test_id("interject").click()
    expect(page.get_by_test_id("console-message")).to_have_text("Accepted: the avatar will say it.")

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
        # The line is heard: planned after the opening line, spoken with its segment, in the archive.
        line = wait_for(
            lambda: Interjection.objects.filter(stream=stream, state=Interjection.State.SPOKEN).first(),
            timeout=300,
            what="the interjection to be planned",
        )
        job = RenderJob.objects.get(stream_id=str(stream.public_id))
        wait_for(
            lambda: Segment.objects.filter(job=job, sequence__gte=line.spoken_sequence + 2).exists(),
            timeout=300,
            what="the interjection's segments",
        )
        assert f"i{line.pk}" in Segment.objects.get(job=job, sequence=line.spoken_sequence).script_line_ids
        heard = _heard(job, line.spoken_sequence, 3)
        assert "watching" in heard, heard
        expect(page.locator("[data-testid=interjections] li[data-state=spoken]")).to_have_count(1, timeout=15_000)

        # bob leaves the console: after the 10 s timeout the stream pauses (the system's absence pause).
        page.goto("/")
        wait_for(
            lambda: Stream.objects.filter(
                pk=stream.pk, state=Stream.State.PAUSED, pause_cause=Stream.PauseCause.OPERATOR_ABSENT
            ).exists(),
            timeout=120,
            what="the absence pause",
        )
        paused = LedgerEvent.objects.filter(subject=stream.subject, kind="stream.paused").get()
        assert paused.actor == "system"
        wait_for(
            lambda: Segment.objects.filter(job=job, label__slate="holding").exists(),
            timeout=120,
            what="the holding slate",
        )

        # He is back: the console's heartbeat resumes the stream, naming him.
        page.goto(console)
        expect(page.get_by_test_id("console-state")).to_have_attribute("data-state", "live", timeout=20_000)
        resumed = LedgerEvent.objects.filter(subject=stream.subject, kind="stream.resumed").get()
        assert resumed.payload_data["by"] == str(personas["bob"].public_id)

        # iris revokes: the stream ends, and the console says so.
        revoke_with_passkey(grant, grant.authenticator, personas["iris"])
        thread.join(timeout=120)
        assert outcomes, "the runner did not return"
        assert (outcomes[0].status, outcomes[0].reason) == ("ended", "consent_revoked")
        expect(page.get_by_test_id("console-state")).to_have_attribute("data-state", "ended", timeout=20_000)
    finally:
        if thread.is_alive():  # a failed step: end the stream so the runner stops
            Stream.objects.filter(pk=stream.pk).update(state=Stream.State.ENDED)
            thread.join(timeout=120)

"""The training sample page in Chromium: a video chosen on the page goes up in chunks with a progress bar and is
accepted (it is then her current sample); a video without a face is refused with a sentence saying what to do,
not a code, and nothing is stored. The chunk size is lowered so the accepted upload really is several chunks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.consent.biometrics import media_factory as mf
from tests.portal.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    from consent import sample_uploads

    monkeypatch.setattr(sample_uploads, "CHUNK_MAX_BYTES", 64 * 1024)
    return 64 * 1024


def test_a_chosen_video_is_sent_in_chunks_and_accepted(
    open_tab: Any, personas: dict[str, Any], astronaut_sample: bytes, small_chunks: int
) -> None:
    from consent.models import SampleUpload, VaultObject

    assert len(astronaut_sample) > 2 * small_chunks
    tab = open_tab("astronaut")
    page = tab.page
    login(page, "iris@creators.example", "iris-password-1")
    page.goto("/consent/sample/")
    assert page.title().startswith("Training sample")
    expect(page.get_by_test_id("current-sample")).to_contain_text("You have no training sample yet")
    page.get_by_label("Video file").set_input_files(
        {"name": "me.mp4", "mimeType": "video/mp4", "buffer": astronaut_sample}
    )
    expect(page.get_by_test_id("sample-accepted")).to_be_visible(timeout=120_000)
    assert page.get_by_test_id("upload-progress").get_attribute("value") == "100"
    assert page.get_by_test_id("sample-refused").is_hidden()
    screenshot(page, "consent-sample-accepted")

    upload = SampleUpload.objects.get(influencer__user=personas["iris"])
    assert upload.status == SampleUpload.Status.FINISHED
    assert upload.total_size == len(astronaut_sample)
    assert VaultObject.objects.filter(kind="sample", influencer__user=personas["iris"]).count() == 1
    page.reload()
    expect(page.get_by_test_id("current-sample")).to_contain_text("Your current sample was accepted on")


def test_a_video_without_a_face_is_refused_with_a_sentence(open_tab: Any, personas: dict[str, Any]) -> None:
    from consent.models import SampleUpload, VaultObject

    blank_wall = mf.video_bytes(lambda i: np.full((480, 640, 3), 90 + (i % 4), dtype=np.uint8), count=62, fps=2)
    tab = open_tab("astronaut")
    page = tab.page
    login(page, "iris@creators.example", "iris-password-1")
    page.goto("/consent/sample/")
    page.get_by_label("Video file").set_input_files({"name": "wall.mp4", "mimeType": "video/mp4", "buffer": blank_wall})
    refused = page.get_by_test_id("sample-refused")
    expect(refused).to_be_visible(timeout=120_000)
    assert refused.inner_text() == "No face found: face the camera in good light."
    assert refused.get_attribute("data-code") == "no_face"
    assert page.get_by_test_id("sample-accepted").is_hidden()
    screenshot(page, "consent-sample-refused")
    # Chromium logs the refused finish's 400 as a console error; that one is expected, any other still fails.
    refused_finish = "console: Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert tab.errors.count(refused_finish) == 1
    tab.errors.remove(refused_finish)
    assert SampleUpload.objects.get(influencer__user=personas["iris"]).status == SampleUpload.Status.REFUSED
    assert not VaultObject.objects.filter(kind="sample").exists()

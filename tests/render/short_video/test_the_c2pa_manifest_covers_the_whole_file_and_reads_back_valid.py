"""One C2PA manifest covers the whole short video: c2pa-python's Reader validates it (trusted under the development
root), it carries the creation action, the consent, the AIGC label and the video's own assertion, and one changed
byte of the picture data invalidates it."""

from __future__ import annotations

import pytest

from render.engine.c2pa_sign import AIGC_LABEL, CONSENT_LABEL, TRAINED_ALGORITHMIC_MEDIA, read_segment
from render.engine.fmp4 import iter_boxes
from render.engine.short_video import SHORT_VIDEO_LABEL
from tests.render.short_video.helpers import CONSENT_SHA, VIDEO_ID, rendered_short_video


@pytest.mark.slow
def test_the_manifest_reads_back_trusted_and_names_the_consent() -> None:
    rendered = rendered_short_video()
    data = rendered.path.read_bytes()
    top = [box.kind for box in iter_boxes(data)]
    assert top[:2] == ["ftyp", "uuid"]
    assert top.count("uuid") == 1
    assert top.index("moov") < top.index("mdat")
    report = read_segment(data, trust_anchor_path=rendered.trust_anchor)
    assert report.state == "Trusted", report.failures
    assert report.manifest_id == rendered.video.manifest_id
    actions = report.assertions["c2pa.actions.v2"]["actions"]
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert report.assertions[CONSENT_LABEL] == {
        "consent_grant_id": "cg_short_1",
        "consent_document_sha256": CONSENT_SHA,
    }
    assert report.assertions[AIGC_LABEL]["ProduceID"] == VIDEO_ID
    assert report.assertions[SHORT_VIDEO_LABEL]["videoId"] == VIDEO_ID
    assert report.assertions[SHORT_VIDEO_LABEL]["script"] == {"script_version": "v1"}


@pytest.mark.slow
def test_a_changed_byte_of_the_media_invalidates_the_manifest() -> None:
    rendered = rendered_short_video()
    data = bytearray(rendered.path.read_bytes())
    middle = data.index(b"mdat") + len(data) // 3
    data[middle] ^= 0xFF
    report = read_segment(bytes(data), trust_anchor_path=rendered.trust_anchor)
    assert report.state == "Invalid"
    assert report.failures

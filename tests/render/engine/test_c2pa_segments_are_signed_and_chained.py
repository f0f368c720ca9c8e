from __future__ import annotations

import hashlib

import pytest

from render.engine.c2pa_sign import (
    CONSENT_LABEL,
    LIVE_SEGMENT_LABEL,
    TRAINED_ALGORITHMIC_MEDIA,
    ConsentReference,
    SegmentSigner,
    read_segment,
    verify_segment_chain,
)
from render.engine.devcerts import make_development_chain
from render.engine.encode import EncoderSettings, SegmentEncoder
from render.engine.yuv import rgb_to_yuv420
from tests.render.engine.synthetic import rgb_frames

CONSENT = ConsentReference("cg_0001", hashlib.sha256(b"consent document v1").hexdigest())


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    chain = make_development_chain(tmp_path_factory.mktemp("pki"))
    signer = SegmentSigner(chain_path=chain.chain, key_path=chain.signing_key, trust_anchor_path=chain.root_cert)
    encoder = SegmentEncoder(EncoderSettings(width=640, height=360))
    frames = [rgb_to_yuv420(f) for f in rgb_frames(50, 640, 360)]
    segments, previous = [], None
    for sequence in range(3):
        result = signer.sign_segment(
            encoder.encode_segment(frames).data,
            stream_id="stream-abc",
            sequence=sequence,
            previous_manifest_id=previous,
            consent=CONSENT,
        )
        previous = result.manifest_id
        segments.append(result)
    return chain, segments


def test_every_segment_is_trusted_under_the_development_root(signed):
    chain, segments = signed
    for seg in segments:
        report = read_segment(seg.data, trust_anchor_path=chain.root_cert)
        assert report.state == "Trusted", report.failures
        assert report.manifest_id == seg.manifest_id
        assert seg.data[4:8] == b"ftyp"  # styp renamed for c2pa-rs 0.91, delivered as signed


def test_the_manifest_says_ai_generated_and_carries_the_consent(signed):
    chain, segments = signed
    report = read_segment(segments[1].data, trust_anchor_path=chain.root_cert)
    actions = report.assertions["c2pa.actions.v2"]["actions"]
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert report.assertions[CONSENT_LABEL] == {
        "consent_grant_id": "cg_0001",
        "consent_document_sha256": CONSENT.document_sha256,
    }
    live = report.assertions[LIVE_SEGMENT_LABEL]
    assert live["sequenceNumber"] == 1
    assert live["streamId"] == "stream-abc"
    assert live["continuityMethod"] == "c2pa.manifestId"


def test_the_segment_chain_links_up_across_three_segments(signed):
    chain, segments = signed
    reports = [read_segment(s.data, trust_anchor_path=chain.root_cert) for s in segments]
    assert verify_segment_chain(reports, stream_id="stream-abc") == []
    assert LIVE_SEGMENT_LABEL in reports[0].assertions
    assert "previousManifestId" not in reports[0].assertions[LIVE_SEGMENT_LABEL]
    # Dropping the middle segment breaks the chain.
    assert verify_segment_chain([reports[0], reports[2]], stream_id="stream-abc")


def test_a_flipped_byte_in_the_media_makes_the_segment_invalid(signed):
    chain, segments = signed
    data = bytearray(segments[0].data)
    data[-1000] ^= 0x01
    report = read_segment(bytes(data), trust_anchor_path=chain.root_cert)
    assert report.state == "Invalid"
    assert "assertion.bmffHash.mismatch" in report.failures


def test_without_the_trust_anchor_the_segment_is_only_valid(signed):
    _, segments = signed
    assert read_segment(segments[0].data).state == "Valid"

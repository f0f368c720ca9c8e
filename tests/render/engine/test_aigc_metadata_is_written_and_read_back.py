from __future__ import annotations

import json

import av
import pytest

from render.engine import fmp4
from render.engine.encode import EncoderSettings, SegmentEncoder
from render.engine.metadata import FIELDS, AigcLabel, MetadataError, amf0_decode, flv_onmetadata_payload

PRODUCER = "001191110108MA00000000X10001"[:27]


def test_the_label_json_has_the_seven_annex_e_keys_in_order():
    label = AigcLabel(ContentProducer=PRODUCER, ProduceID="stream-1")
    data = json.loads(label.to_json())
    assert list(data) == list(FIELDS)
    assert data["Label"] == "1"
    assert data["ContentPropagator"] == PRODUCER  # first write: propagator is the producer
    assert data["PropagateID"] == "stream-1"


def test_it_refuses_values_outside_the_annex_e_character_set():
    with pytest.raises(MetadataError, match="Annex E"):
        AigcLabel(ContentProducer="某某公司", ProduceID="x")
    with pytest.raises(MetadataError, match="Label"):
        AigcLabel(ContentProducer=PRODUCER, ProduceID="x", Label="0")


def test_it_reads_the_bare_object_and_the_aigc_wrapper():
    label = AigcLabel(ContentProducer=PRODUCER, ProduceID="p")
    assert AigcLabel.from_json(label.to_json()) == label
    assert AigcLabel.from_json(json.dumps({"AIGC": json.loads(label.to_json())})) == label


def test_the_init_segment_carries_aigc_in_moov_udta_meta(tmp_path):
    label = AigcLabel(ContentProducer=PRODUCER, ProduceID="stream-7")
    encoder = SegmentEncoder(EncoderSettings(width=640, height=360), metadata={"AIGC": label.to_json()})
    init = encoder.init_segment
    meta = fmp4.find_box(init, "moov/udta/meta")
    assert meta is not None
    assert [b.kind for b in fmp4.children(init, meta)] == ["hdlr", "keys", "ilst"]
    assert fmp4.read_mdta_metadata(init) == {"AIGC": label.to_json()}  # our own box walker
    path = tmp_path / "init.mp4"
    path.write_bytes(init)
    with av.open(str(path)) as container:  # and FFmpeg's reader
        assert container.metadata["AIGC"] == label.to_json()


def test_the_flv_onmetadata_payload_carries_aigc():
    label = AigcLabel(ContentProducer=PRODUCER, ProduceID="stream-9")
    payload = flv_onmetadata_payload(label, width=1280, height=720, fps=25, video_kbps=2500)
    name, values = amf0_decode(payload)
    assert name == "onMetaData"
    assert values["AIGC"] == label.to_json()
    assert values["width"] == 1280.0
    assert values["videocodecid"] == 7.0
    assert values["stereo"] is True
    with pytest.raises(MetadataError):
        amf0_decode(payload[:-5])

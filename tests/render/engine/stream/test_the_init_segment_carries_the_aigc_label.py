from __future__ import annotations

from render.engine.c2pa_sign import read_segment
from render.engine.fmp4 import read_mdta_metadata
from render.engine.metadata import AigcLabel
from tests.render.engine.stream.rendered import PRODUCER, STREAM_ID, rendered


def test_the_init_segment_holds_the_gb45438_fields_and_is_signed() -> None:
    stream = rendered()
    init = (stream.directory / "init.mp4").read_bytes()
    aigc = AigcLabel.from_json(read_mdta_metadata(init)["AIGC"])
    assert (aigc.Label, aigc.ContentProducer, aigc.ProduceID) == ("1", PRODUCER, STREAM_ID)
    assert stream.renderer.init_segment().aigc == aigc.to_json()
    report = read_segment(init, trust_anchor_path=stream.pki.root_cert)
    assert report.state == "Trusted"
    assert report.assertions["cn.gb45438.aigc"]["ProduceID"] == STREAM_ID

from __future__ import annotations

import hashlib

import av
import numpy as np
import pytest

from render.engine.c2pa_sign import ConsentReference, SegmentSigner, read_segment, verify_segment_chain
from render.engine.devcerts import make_development_chain
from render.engine.encode import EncoderSettings
from render.engine.fmp4 import read_mdta_metadata
from render.engine.metadata import AigcLabel
from render.engine.pipeline import LabeledSegmentPipeline, PipelineError
from render.engine.watermark import content_id_for, detect_clip, stream_code_for
from tests.render.engine.synthetic import rgb_frames, tone

KEY = b"pipeline-test-key-0123456789abcd"
PRODUCER = "001191110108MA000000001"[:22] + "10001"


@pytest.fixture(scope="module")
def stream(tmp_path_factory):
    pki = make_development_chain(tmp_path_factory.mktemp("pki"))
    out = tmp_path_factory.mktemp("hls")
    pipeline = LabeledSegmentPipeline(
        stream_id="stream-xyz",
        consent=ConsentReference("cg_42", hashlib.sha256(b"doc").hexdigest()),
        signer=SegmentSigner(chain_path=pki.chain, key_path=pki.signing_key, trust_anchor_path=pki.root_cert),
        watermark_key=KEY,
        content_producer=PRODUCER,
        settings=EncoderSettings(width=1280, height=720, fps=25),
        output_dir=out,
    )
    frames = rgb_frames(50)
    results = [pipeline.write_segment(frames, tone()) for _ in range(2)]
    pipeline.close()
    return pki, out, pipeline, results


def test_the_output_directory_plays_as_hls_with_audio(stream):
    _, out, _, _ = stream
    assert sorted(p.name for p in out.iterdir()) == ["index.m3u8", "init.mp4", "seg_000000.m4s", "seg_000001.m4s"]
    assert "#EXT-X-ENDLIST" in (out / "index.m3u8").read_text()
    with av.open(str(out / "index.m3u8")) as container:
        assert container.streams.audio, "audio track missing"
        video = list(container.decode(video=0))
    with av.open(str(out / "index.m3u8")) as container:
        audio = list(container.decode(audio=0))
    assert len(video) == 100
    assert float(video[-1].pts * video[-1].time_base) == pytest.approx(3.96, abs=0.01)
    assert sum(a.samples for a in audio) / 48_000 == pytest.approx(4.0, abs=0.1)
    assert np.abs(audio[len(audio) // 2].to_ndarray()).max() > 0.1  # the tone, not silence


def test_every_segment_is_signed_chained_and_recorded(stream):
    pki, out, pipeline, results = stream
    reports = [read_segment((out / r.uri).read_bytes(), trust_anchor_path=pki.root_cert) for r in results]
    assert [r.state for r in reports] == ["Trusted", "Trusted"]
    assert verify_segment_chain(reports, stream_id="stream-xyz") == []
    assert read_segment(pipeline.init_segment, trust_anchor_path=pki.root_cert).state == "Trusted"
    record = results[1].record
    assert record["sha256"] == hashlib.sha256((out / "seg_000001.m4s").read_bytes()).hexdigest()
    assert record["sequence"] == 1
    assert record["duration"] == 2.0
    assert record["manifest_id"] == reports[1].manifest_id
    assert record["previous_manifest_id"] == reports[0].manifest_id
    assert record["watermark_content_id"] == f"{content_id_for('stream-xyz', 1):016x}"
    assert record["label"]["text_height_fraction"] >= 0.05


def test_the_init_segment_carries_the_aigc_label(stream):
    _, out, _, _ = stream
    aigc = AigcLabel.from_json(read_mdta_metadata((out / "init.mp4").read_bytes())["AIGC"])
    assert aigc.Label == "1"
    assert aigc.ProduceID == "stream-xyz"


def test_the_segment_watermark_names_stream_and_sequence(stream, tmp_path):
    _, out, _, _ = stream
    path = tmp_path / "second.mp4"
    path.write_bytes((out / "init.mp4").read_bytes() + (out / "seg_000001.m4s").read_bytes())
    result = detect_clip(path, KEY)
    assert result.stream_code == stream_code_for("stream-xyz")
    assert result.sequences == (1,)


def test_the_decoded_frames_show_the_label_and_the_opening_notice(stream):
    _, out, pipeline, _ = stream
    x, y, w, h = pipeline.label_parameters["box"]
    ox, oy, ow, oh = pipeline.label_parameters["opening_box"]
    with av.open(str(out / "index.m3u8")) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    for i in (0, 49, 99):
        assert (frames[i][y : y + h, x : x + w].max(axis=2) < 50).mean() > 0.5  # the dark plate is there
    assert (frames[10][oy : oy + oh, ox : ox + ow].max(axis=2) < 50).mean() > 0.5  # opening notice at 0.4 s
    assert (frames[90][oy : oy + oh, ox : ox + ow].max(axis=2) < 50).mean() < 0.5  # gone at 3.6 s


def test_it_refuses_frames_of_the_wrong_shape(stream):
    _, _, pipeline, _ = stream
    with pytest.raises(PipelineError, match="neither RGB"):
        pipeline.write_segment([np.zeros((10, 10, 3), dtype=np.uint8)] * 50)

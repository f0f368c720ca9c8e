from __future__ import annotations

from render.engine.watermark import content_id_for, detect
from tests.render.engine.stream.rendered import KEY, STREAM_ID, rendered


def test_the_watermark_of_each_segment_names_the_stream_and_its_sequence() -> None:
    stream = rendered()
    for result in stream.results:
        sequence = result.record.sequence
        found, confidence, _ = detect(stream.segment_file(sequence), KEY)
        assert found == content_id_for(STREAM_ID, sequence), sequence
        assert confidence > 0.5
        assert result.record.watermark_id == f"{found:016x}"


def test_a_wrong_key_finds_no_watermark() -> None:
    stream = rendered()
    assert detect(stream.segment_file(1), b"some-other-key-0123456789")[0] is None

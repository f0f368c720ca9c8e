from __future__ import annotations

from render.engine.watermark import content_id_for, detect_clip, stream_code_for
from tests.render.engine.stream.rendered import KEY, STREAM_ID, rendered


def test_the_watermark_of_each_segment_names_the_stream_and_its_sequence() -> None:
    stream = rendered()
    for result in stream.results:
        sequence = result.record.sequence
        found = detect_clip(stream.segment_file(sequence), KEY)
        assert found.stream_code == stream_code_for(STREAM_ID), sequence
        assert found.sequences == (sequence,)
        assert found.false_positive_rate <= 1e-6
        assert result.record.watermark_id == f"{content_id_for(STREAM_ID, sequence):016x}"


def test_the_whole_stream_names_every_segment() -> None:
    stream = rendered()
    whole = stream.directory.parent / "whole.mp4"
    whole.write_bytes(
        (stream.directory / "init.mp4").read_bytes()
        + b"".join((stream.directory / r.uri).read_bytes() for r in stream.results)
    )
    found = detect_clip(whole, KEY)
    assert found.stream_code == stream_code_for(STREAM_ID)
    assert found.segment_range == (0, len(stream.results) - 1)


def test_a_wrong_key_finds_no_watermark() -> None:
    stream = rendered()
    assert not detect_clip(stream.segment_file(1), bytes(32)).found

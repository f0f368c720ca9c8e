"""A worker that resumes a published stream adopts the init segment already published: its segments must bind that
init (a freshly signed one would have another manifest id), and an init of another stream is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.engine.avatar import AvatarAssets
from render.engine.stream import StreamConfigError
from render.engine.verify_stream import verify_stream
from tests.render.engine.stream.rendered import LINES, make_renderer, rendered
from tests.render.engine.stream.tampering import copy_stream, listed, resigned_init, set_segments

SEQUENCE = 2


def test_a_resumed_segment_verifies_in_the_published_stream(tmp_path: Path) -> None:
    stream = rendered()
    playlist = copy_stream(stream, tmp_path / "hls")
    renderer = make_renderer(stream.pki, AvatarAssets.from_bytes(stream.assets_path.read_bytes()))
    adopted = renderer.adopt_init((stream.directory / "init.mp4").read_bytes())
    assert adopted.manifest_id == stream.renderer.init_segment().manifest_id
    plan = renderer.plan(LINES)
    previous = stream.results[SEQUENCE - 1].record.manifest_id
    resumed = renderer.render_segment(plan, SEQUENCE, previous_manifest_id=previous)
    # The continuous run's segments after SEQUENCE chain to the continuous segment, so verify up to the resumed one.
    (playlist.parent / "resumed.m4s").write_bytes(resumed.data)
    set_segments(playlist, [*listed(playlist)[:SEQUENCE], "resumed.m4s"])
    result = verify_stream(playlist, stream.pki.root_cert.read_bytes())
    assert result.ok, result.problems
    assert [s.uri for s in result.segments][-1] == "resumed.m4s"


def test_an_init_of_another_stream_is_not_adopted() -> None:
    stream = rendered()
    renderer = make_renderer(stream.pki, AvatarAssets.from_bytes(stream.assets_path.read_bytes()))
    with pytest.raises(StreamConfigError) as refused:
        renderer.adopt_init(resigned_init(stream))
    assert refused.value.code == "init_mismatch"
    with pytest.raises(StreamConfigError) as unreadable:
        renderer.adopt_init(b"\x00\x00\x00\x08free")
    assert unreadable.value.code == "init_unreadable"

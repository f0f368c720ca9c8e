"""The stream verifier accepts the rendered stream as published and names the first problem of every kind of
tampering: a dropped, reordered, duplicated or inserted segment, a flipped byte, a swapped or a corrupt init."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from render.engine.devcerts import make_development_chain
from render.engine.verify_stream import TrustAnchorError, verify_stream
from tests.render.engine.stream.rendered import PRODUCER, STREAM_ID, RenderedStream, rendered
from tests.render.engine.stream.tampering import (
    copy_stream,
    foreign_segment,
    listed,
    resigned_init,
    set_segments,
    signer_for,
    unsigned,
)


@pytest.fixture(scope="module")
def stream() -> RenderedStream:
    s = rendered()
    assert len(s.results) >= 4  # enough to drop, reorder and insert in the middle
    return s


@pytest.fixture
def playlist(stream: RenderedStream, tmp_path: Path) -> Path:
    return copy_stream(stream, tmp_path / "hls")


@pytest.fixture
def anchor(stream: RenderedStream) -> bytes:
    return stream.pki.root_cert.read_bytes()


def test_the_stream_as_published_verifies(stream: RenderedStream, playlist: Path, anchor: bytes) -> None:
    result = verify_stream(playlist, anchor)
    assert result.ok, result.problems
    assert result.stream_id == STREAM_ID
    assert result.init is not None
    assert result.init.state == "Trusted"
    assert result.init.manifest_id == stream.renderer.init_segment().manifest_id
    assert result.init.aigc is not None
    assert result.init.aigc["Label"] == "1"
    assert result.init.aigc["ContentProducer"] == PRODUCER
    assert [s.sequence for s in result.segments] == list(range(len(stream.results)))
    assert [s.manifest_id for s in result.segments] == [r.record.manifest_id for r in stream.results]
    assert {s.state for s in result.segments} == {"Trusted"}


def test_segment_0_links_to_the_init_and_every_segment_binds_it(stream: RenderedStream) -> None:
    import hashlib

    from render.engine.c2pa_sign import INIT_BINDING_LABEL, LIVE_SEGMENT_LABEL, read_segment

    init = stream.renderer.init_segment()
    reports = [read_segment((stream.directory / r.uri).read_bytes(), trust_anchor_path=stream.pki.root_cert)
               for r in stream.results]  # fmt: skip
    assert reports[0].assertions[LIVE_SEGMENT_LABEL]["previousManifestId"] == init.manifest_id
    for report in reports:
        assert report.assertions[INIT_BINDING_LABEL] == {
            "manifestId": init.manifest_id,
            "alg": "sha256",
            "hash": hashlib.sha256((stream.directory / "init.mp4").read_bytes()).hexdigest(),
        }


def test_a_dropped_segment_is_named(playlist: Path, anchor: bytes) -> None:
    uris = listed(playlist)
    set_segments(playlist, uris[:2] + uris[3:])
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position, problem.uri) == ("segment.dropped", 2, uris[3])
    assert "segment 2 is missing" in problem.message


def test_a_dropped_first_segment_is_named(playlist: Path, anchor: bytes) -> None:
    set_segments(playlist, listed(playlist)[1:])
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position) == ("segment.dropped", 0)


def test_reordered_segments_are_named(playlist: Path, anchor: bytes) -> None:
    uris = listed(playlist)
    uris[1], uris[2] = uris[2], uris[1]
    set_segments(playlist, uris)
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position) == ("segment.reordered", 1)


def test_a_duplicated_segment_is_named(playlist: Path, anchor: bytes) -> None:
    uris = listed(playlist)
    set_segments(playlist, uris[:3] + uris[2:])
    result = verify_stream(playlist, anchor)
    assert result.first_problem is not None
    assert (result.first_problem.code, result.first_problem.position) == ("segment.duplicated", 3)
    assert len(result.problems) == 1  # the segments after the copy still chain to the original


def test_an_inserted_segment_from_another_stream_is_named(
    stream: RenderedStream, playlist: Path, anchor: bytes
) -> None:
    (playlist.parent / "extra.m4s").write_bytes(foreign_segment(stream, 2, stream_id="stream-test-other"))
    uris = listed(playlist)
    set_segments(playlist, [*uris[:2], "extra.m4s", *uris[2:]])
    result = verify_stream(playlist, anchor)
    assert result.segments[2].state == "Trusted"  # signed with our own key: only the binding and chain give it away
    assert result.first_problem is not None
    assert (result.first_problem.code, result.first_problem.uri) == ("segment.inserted", "extra.m4s")
    assert len(result.problems) == 1


def test_a_segment_signed_by_someone_else_is_named(
    stream: RenderedStream, playlist: Path, anchor: bytes, tmp_path: Path
) -> None:
    from render.engine.c2pa_sign import SegmentSigner

    other = make_development_chain(tmp_path / "other-pki")
    forged = SegmentSigner(chain_path=other.chain, key_path=other.signing_key).sign_segment(
        unsigned((stream.directory / stream.results[2].uri).read_bytes()),
        stream_id=STREAM_ID,
        sequence=2,
        previous_manifest_id=stream.results[1].record.manifest_id,
        consent=stream.renderer.consent,
    )
    (playlist.parent / stream.results[2].uri).write_bytes(forged.data)
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position) == ("segment.untrusted", 2)


def test_a_flipped_byte_is_named(stream: RenderedStream, playlist: Path, anchor: bytes) -> None:
    path = playlist.parent / stream.results[2].uri
    data = bytearray(path.read_bytes())
    data[-1000] ^= 0x01  # in the mdat
    path.write_bytes(bytes(data))
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position) == ("segment.tampered", 2)
    assert "assertion.bmffHash.mismatch" in problem.message


def test_a_swapped_init_is_named(stream: RenderedStream, playlist: Path, anchor: bytes) -> None:
    (playlist.parent / "init.mp4").write_bytes(resigned_init(stream))
    result = verify_stream(playlist, anchor)
    assert result.init is not None
    assert result.init.state == "Trusted"
    assert result.first_problem is not None
    assert result.first_problem.code == "init.swapped"


def test_a_corrupt_init_is_named(playlist: Path, anchor: bytes) -> None:
    init = playlist.parent / "init.mp4"
    init.write_bytes(init.read_bytes()[:300])
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert problem.code == "init.corrupt"
    assert "bad size" in problem.message


def test_an_init_with_its_aigc_label_edited_is_named(playlist: Path, anchor: bytes) -> None:
    init = playlist.parent / "init.mp4"
    init.write_bytes(init.read_bytes().replace(b'"Label":"1"', b'"Label":"2"'))
    result = verify_stream(playlist, anchor)
    assert result.first_problem is not None
    assert result.first_problem.code == "init.tampered"
    assert "init.aigc_invalid" in {p.code for p in result.problems}  # and the label itself is wrong


def test_another_trust_anchor_trusts_nothing(playlist: Path, tmp_path: Path) -> None:
    other = make_development_chain(tmp_path / "other-pki")
    result = verify_stream(playlist, other.root_cert.read_bytes())
    assert result.first_problem is not None
    assert result.first_problem.code == "init.untrusted"
    assert {s.state for s in result.segments} == {"Valid"}


def test_a_multivariant_playlist_is_followed(playlist: Path, anchor: bytes) -> None:
    master = playlist.parent.parent / "master.m3u8"
    master.write_text(
        '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=2800000,CODECS="avc1.64001f,mp4a.40.2",'
        "RESOLUTION=1280x720\nhls/index.m3u8\n"
    )
    result = verify_stream(master, anchor)
    assert result.ok
    assert len(result.variants) == 1
    assert len(result.variants[0].segments) == len(listed(playlist))
    set_segments(playlist, listed(playlist)[:2] + listed(playlist)[3:])
    broken = verify_stream(master, anchor)
    assert broken.first_problem is not None
    assert broken.first_problem.code == "segment.dropped"
    assert json.loads(json.dumps(broken.to_dict()))["first_problem"]["code"] == "segment.dropped"


def test_a_playlist_that_points_outside_its_directory_is_refused(playlist: Path, anchor: bytes) -> None:
    set_segments(playlist, ["../../etc/passwd", *listed(playlist)])
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position) == ("segment.missing", 0)
    assert "outside the playlist's directory" in problem.message


def test_a_trust_anchor_that_is_not_a_certificate_is_refused(playlist: Path) -> None:
    with pytest.raises(TrustAnchorError):
        verify_stream(playlist, b"not a certificate")


def test_a_segment_with_its_manifest_stripped_is_named(stream: RenderedStream, playlist: Path, anchor: bytes) -> None:
    path = playlist.parent / stream.results[2].uri
    path.write_bytes(unsigned(path.read_bytes()))
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position) == ("segment.unsigned", 2)
    assert "carries no C2PA manifest" in problem.message


def test_a_segment_whose_manifest_does_not_declare_ai_is_named(
    stream: RenderedStream, playlist: Path, anchor: bytes
) -> None:
    from render.engine.c2pa_sign import LIVE_SEGMENT_LABEL, read_segment

    signer = signer_for(stream)
    original = read_segment((stream.directory / stream.results[2].uri).read_bytes())
    manifest = signer._manifest(
        "seg_000002.m4s", [{"label": LIVE_SEGMENT_LABEL, "data": original.assertions[LIVE_SEGMENT_LABEL]}]
    )
    manifest["assertions"][0]["data"]["actions"][0]["digitalSourceType"] = (
        "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    )
    path = playlist.parent / stream.results[2].uri
    path.write_bytes(signer._sign(unsigned(path.read_bytes()), manifest).data)
    problem = verify_stream(playlist, anchor).first_problem
    assert problem is not None
    assert (problem.code, problem.position) == ("segment.not_ai_declared", 2)

"""Tampering helpers for the stream-verifier tests: copy the rendered stream, then break it in one way."""

from __future__ import annotations

import shutil
from pathlib import Path

from render.engine.c2pa_sign import C2PA_BOX_UUID, InitBinding, SegmentSigner, signed_manifest_id
from render.engine.fmp4 import iter_boxes
from tests.render.engine.stream.rendered import CONSENT, RenderedStream


def copy_stream(stream: RenderedStream, to: Path) -> Path:
    """A private copy of the rendered HLS directory; returns its playlist."""
    shutil.copytree(stream.directory, to)
    return to / "index.m3u8"


def set_segments(playlist: Path, uris: list[str]) -> None:
    """Rewrite the media playlist to list `uris` (2 s each), keeping its header and end tag."""
    lines = playlist.read_text().splitlines()
    header = [line for line in lines if line.startswith("#EXT") and not line.startswith(("#EXTINF", "#EXT-X-END"))]
    body = [x for uri in uris for x in ("#EXTINF:2.000,", uri)]
    playlist.write_text("\n".join([*header, *body, "#EXT-X-ENDLIST"]) + "\n")


def listed(playlist: Path) -> list[str]:
    return [line for line in playlist.read_text().splitlines() if line and not line.startswith("#")]


def unsigned(data: bytes) -> bytes:
    """The bytes as they were before C2PA signing (its manifest box removed; the renamed ftyp header stays)."""
    return b"".join(
        data[b.offset : b.offset + b.size]
        for b in iter_boxes(data)
        if not (b.kind == "uuid" and data[b.payload_offset : b.payload_offset + 16] == C2PA_BOX_UUID)
    )


def signer_for(stream: RenderedStream) -> SegmentSigner:
    return SegmentSigner(chain_path=stream.pki.chain, key_path=stream.pki.signing_key)


def foreign_segment(stream: RenderedStream, sequence: int, *, stream_id: str) -> bytes:
    """Segment `sequence`'s media, signed with our key for another stream (its own init), chained to our segment
    `sequence - 1`: what a mix-up or a malicious insert of our own signed material looks like."""
    signer = signer_for(stream)
    init = (stream.directory / "init.mp4").read_bytes()
    other_init = signer.sign_init(
        unsigned(init), stream_id=stream_id, consent=CONSENT, aigc_json=stream.renderer.aigc.to_json()
    )
    media = unsigned((stream.directory / stream.results[sequence].uri).read_bytes())
    return signer.sign_segment(
        media,
        stream_id=stream_id,
        sequence=sequence,
        previous_manifest_id=stream.results[sequence - 1].record.manifest_id,
        consent=CONSENT,
        init=InitBinding.of(other_init.data, other_init.manifest_id),
    ).data


def resigned_init(stream: RenderedStream, *, producer_digit: bytes = b"9") -> bytes:
    """The init segment with one character of its AIGC ContentProducer changed, then signed again with our key: a
    valid, trusted init, but not the one the segments were published with."""
    data = bytearray(unsigned((stream.directory / "init.mp4").read_bytes()))
    at = data.index(b'"ContentProducer":"') + len(b'"ContentProducer":"')
    data[at : at + 1] = producer_digit
    at = data.index(b'"ContentPropagator":"') + len(b'"ContentPropagator":"')
    data[at : at + 1] = producer_digit
    text = bytes(data)
    aigc = text[text.index(b'{"Label"') : text.index(b"}", text.index(b'{"Label"')) + 1].decode()
    signed = signer_for(stream).sign_init(text, stream_id=stream.renderer.stream_id, consent=CONSENT, aigc_json=aigc)
    assert signed_manifest_id(signed.data) == signed.manifest_id
    return signed.data

"""Verify a published HLS stream's provenance, as an outside auditor would, and name the first problem.

    python -m render.engine.verify_stream PLAYLIST --trust-anchor ROOT.pem [--trust-anchor ...] [--json]

exits 0 only when every check passes, 1 when the stream has a problem, 2 when the command is used wrongly (no such
trust-anchor file, not a PEM certificate). `verify_stream(playlist, trust_anchors_pem)` is the same check as a
pure function (no Django, no network) for the Audit pages.

Given a media playlist (or a multivariant playlist: every variant it lists is verified), it checks:

1. **Every manifest**, with c2pa-python's Reader and the given trust anchors: the claim signature, the certificate
   chain up to an anchor (state `Trusted`; `Valid` means a good signature from a signer we do not trust), the
   BMFF hash binding of the bytes (`assertion.bmffHash.match`; a flipped byte gives `assertion.bmffHash.mismatch`),
   and the AI declaration (`c2pa.created` with digitalSourceType trainedAlgorithmicMedia).
2. **The init segment**: a readable ftyp+moov without media data (C2PA 2.3 §19.2.3), signed, carrying exactly one
   GB 45438 `AIGC` label in moov/udta/meta that meets Annex E (`metadata.check_aigc_json`, Label "1"), the same
   label in its C2PA manifest (`cn.gb45438.aigc`), and ProduceID = the stream id.
3. **The init binding**: each segment's `com.veracast.livevideo.init` names the init's manifest id and SHA-256, and
   segment 0's `previousManifestId` is the init's manifest id, so another init (another stream's, or one whose AIGC
   label was edited and re-signed) does not verify under these segments.
4. **The live-segment chain** (C2PA 2.3 §19.3, continuity method `c2pa.manifestId`): one stream id, sequence numbers
   consecutive from the playlist's first (0 for an ended playlist: a complete recording starts at 0), and each
   segment's `previousManifestId` = the manifest id of the segment before it. A break is named for what it most
   likely is: a dropped, reordered, duplicated or inserted segment.

What it cannot see: segments cut off at the end (nothing in a live stream says which segment is the last; the
ledger's segment count does), and the pixels (the visible label and the watermark have their own detectors).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import posixpath
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from render.engine.c2pa_sign import (
    AIGC_LABEL,
    CONSENT_LABEL,
    INIT_BINDING_LABEL,
    LIVE_SEGMENT_LABEL,
    TRAINED_ALGORITHMIC_MEDIA,
)
from render.engine.fmp4 import BoxError, iter_boxes, read_mdta_items
from render.engine.metadata import MetadataError, check_aigc_json

__all__ = [
    "InitCheck",
    "Problem",
    "SegmentCheck",
    "StreamVerification",
    "TrustAnchorError",
    "format_report",
    "main",
    "verify_stream",
]

Fetch = Callable[[str], bytes]


class TrustAnchorError(ValueError):
    """The trust anchors given are not PEM X.509 certificates (a usage error, not a problem of the stream)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the stream. `code` is stable (the Audit issue keys on it); `message` is a sentence."""

    code: str
    message: str
    uri: str = ""  # the file it is in, as the playlist names it ("" for the playlist itself)
    position: int | None = None  # index of the segment in the media playlist


@dataclass(frozen=True)
class InitCheck:
    uri: str
    sha256: str = ""
    manifest_id: str | None = None
    state: str = ""  # c2pa validation state: "Trusted" | "Valid" | "Invalid" | "" (not read)
    aigc: dict[str, str] | None = None


@dataclass(frozen=True)
class SegmentCheck:
    position: int
    uri: str
    sha256: str = ""
    manifest_id: str | None = None
    state: str = ""
    sequence: int | None = None
    stream_id: str | None = None
    previous_manifest_id: str | None = None
    failures: tuple[str, ...] = ()  # c2pa failure codes


@dataclass(frozen=True)
class StreamVerification:
    """The outcome for one playlist; a multivariant playlist's outcome holds one per variant in `variants`."""

    playlist: str
    stream_id: str | None = None
    init: InitCheck | None = None
    segments: tuple[SegmentCheck, ...] = ()
    problems: tuple[Problem, ...] = ()
    variants: tuple[StreamVerification, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok, "first_problem": asdict(self.problems[0]) if self.problems else None}


# --- reading ------------------------------------------------------------------------------------------------------


class _Unreadable(Exception):  # noqa: N818 - internal signal carrying a sentence
    def __init__(self, message: str, kind: str = "missing") -> None:
        super().__init__(message)
        self.kind = kind  # the problem code's second part, e.g. "unsigned" for "segment.unsigned"


def _local_fetch(root: Path) -> Fetch:
    def fetch(name: str) -> bytes:
        try:
            return (root / name).read_bytes()
        except FileNotFoundError:
            raise _Unreadable(f"{name} does not exist") from None
        except OSError as exc:
            raise _Unreadable(f"{name} cannot be read: {exc.strerror}") from None

    return fetch


def _resolve(base: str, uri: str) -> str:
    """A playlist URI as a path under the top playlist's directory; URLs and paths that leave it are refused."""
    if "://" in uri or uri.startswith("/") or "\\" in uri:
        raise _Unreadable(f"{uri!r} is not a relative path next to the playlist (only local files are verified)")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), uri.split("?", 1)[0]))
    if joined == ".." or joined.startswith("../"):
        raise _Unreadable(f"{uri!r} points outside the playlist's directory")
    return joined


@dataclass
class _Playlist:
    variants: list[str] = field(default_factory=list)
    init_uris: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    media_sequence: int = 0
    ended: bool = False
    unsupported: str = ""


def _parse_playlist(text: str) -> _Playlist:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or lines[0] != "#EXTM3U":
        raise _Unreadable("it is not an HLS playlist (no #EXTM3U first line)")
    out = _Playlist()
    expect_variant = False
    for line in lines[1:]:
        if line.startswith("#EXT-X-STREAM-INF"):
            expect_variant = True
        elif line.startswith("#EXT-X-MAP:"):
            attrs = _attributes(line.partition(":")[2])
            if "BYTERANGE" in attrs or "URI" not in attrs:
                out.unsupported = "an EXT-X-MAP without a URI, or with a byte range"
            out.init_uris.append(attrs.get("URI", ""))
        elif line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            try:
                out.media_sequence = int(line.partition(":")[2])
            except ValueError:
                raise _Unreadable(f"its {line} is not a number") from None
        elif line.startswith("#EXT-X-BYTERANGE"):
            out.unsupported = "byte-range segments"
        elif line == "#EXT-X-ENDLIST":
            out.ended = True
        elif not line.startswith("#"):
            (out.variants if expect_variant else out.segments).append(line)
            expect_variant = False
    return out


def _attributes(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    key, value, quoted, in_value = "", "", False, False
    for ch in text + ",":
        if in_value:
            if ch == '"':
                quoted = not quoted
            elif ch == "," and not quoted:
                attrs[key.strip()] = value
                key, value, in_value = "", "", False
            else:
                value += ch
        elif ch == "=":
            in_value = True
        elif ch != ",":
            key += ch
    return attrs


@dataclass
class _Manifest:
    state: str
    manifest_id: str | None
    assertions: dict[str, Any]
    failures: list[tuple[str, str]]  # (code, explanation)
    successes: set[str]


def _read_manifest(c2pa: Any, context: Any, data: bytes) -> _Manifest:
    try:
        with c2pa.Reader("video/mp4", io.BytesIO(data), context=context) as reader:
            state = str(reader.get_validation_state())
            store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        text = str(exc)
        if "ManifestNotFound" in type(exc).__name__ or "no JUMBF" in text or "not found" in text.lower():
            raise _Unreadable("it carries no C2PA manifest", "unsigned") from None
        raise _Unreadable(f"its C2PA manifest is damaged ({text})", "invalid") from None
    active = store.get("active_manifest")
    manifest = store.get("manifests", {}).get(active, {})
    results = store.get("validation_results", {}).get("activeManifest", {})
    return _Manifest(
        state=state,
        manifest_id=active,
        assertions={a.get("label"): a.get("data") for a in manifest.get("assertions", [])},
        failures=[(f.get("code", "?"), f.get("explanation", "")) for f in results.get("failure", [])],
        successes={s.get("code", "") for s in results.get("success", [])},
    )


def _manifest_problem(m: _Manifest, what: str, uri: str, position: int | None, prefix: str) -> Problem | None:
    """The signature/trust/hash verdict on one manifest, as a Problem (None: Trusted and hash-bound)."""
    codes = [code for code, _ in m.failures]
    detail = "; ".join(f"{code}: {text}" if text else code for code, text in m.failures)
    if m.state == "Invalid" or (m.state != "Trusted" and any(c != "signingCredential.untrusted" for c in codes)):
        if any("Hash" in c or "hash" in c for c in codes):
            return Problem(
                f"{prefix}.tampered",
                f"{what} was altered after signing: its bytes no longer match the signed hash ({detail}).",
                uri,
                position,
            )
        return Problem(f"{prefix}.invalid", f"{what}'s C2PA manifest does not validate ({detail}).", uri, position)
    if m.state != "Trusted":
        return Problem(
            f"{prefix}.untrusted",
            f"{what} is signed by a certificate that does not chain to the trust anchor ({detail or m.state}).",
            uri,
            position,
        )
    if "assertion.bmffHash.match" not in m.successes:
        return Problem(f"{prefix}.unbound", f"{what}'s manifest has no BMFF hash binding to its bytes.", uri, position)
    if not _declares_ai(m):
        return Problem(
            f"{prefix}.not_ai_declared",
            f"{what}'s manifest does not declare it AI-generated (a c2pa.created action with digitalSourceType "
            "trainedAlgorithmicMedia or compositeWithTrainedAlgorithmicMedia).",
            uri,
            position,
        )
    return None


_AI_SOURCE_TYPES = {
    TRAINED_ALGORITHMIC_MEDIA,
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
}


def _declares_ai(m: _Manifest) -> bool:
    for label in ("c2pa.actions.v2", "c2pa.actions"):
        data = m.assertions.get(label)
        actions = data.get("actions") if isinstance(data, dict) else None
        for action in actions if isinstance(actions, list) else []:
            if (
                isinstance(action, dict)
                and action.get("action") == "c2pa.created"
                and action.get("digitalSourceType") in _AI_SOURCE_TYPES
            ):
                return True
    return False


# --- verifying ----------------------------------------------------------------------------------------------------


def verify_stream(
    playlist: str | Path, trust_anchors_pem: bytes | str, *, fetch: Fetch | None = None
) -> StreamVerification:
    """Verify the stream a playlist describes. `playlist` is a file path; with `fetch` (name -> bytes, names relative
    to one root, e.g. a Django storage), it is the playlist's name under that root. Raises TrustAnchorError when
    the anchors are not PEM certificates; every problem of the stream itself is reported, never raised."""
    context = _context(trust_anchors_pem)
    if fetch is None:
        path = Path(playlist)
        fetch, name = _local_fetch(path.parent), path.name
    else:
        name = posixpath.normpath(str(playlist))
    return _verify_playlist(name, fetch, context, top=True)


def _context(trust_anchors_pem: bytes | str) -> Any:
    import c2pa
    from cryptography import x509

    pem = trust_anchors_pem.encode() if isinstance(trust_anchors_pem, str) else trust_anchors_pem
    try:
        anchors = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise TrustAnchorError("the trust anchor is not a PEM X.509 certificate") from None
    if not anchors:
        raise TrustAnchorError("no trust anchor certificate given")
    return c2pa.Context.from_dict(
        {
            "trust": {"user_anchors": pem.decode("ascii", errors="replace")},
            "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
        }
    )


def _verify_playlist(name: str, fetch: Fetch, context: Any, *, top: bool) -> StreamVerification:
    try:
        text = fetch(name).decode("utf-8")
        parsed = _parse_playlist(text)
    except UnicodeDecodeError:
        return StreamVerification(name, problems=(Problem("playlist.unreadable", f"{name} is not UTF-8 text.", name),))
    except _Unreadable as exc:
        return StreamVerification(
            name, problems=(Problem("playlist.unreadable", f"The playlist {name} is unusable: {exc}.", name),)
        )
    if parsed.variants:
        if not top:
            return StreamVerification(
                name, problems=(Problem("playlist.invalid", f"{name} nests a multivariant playlist.", name),)
            )
        variants = []
        for uri in parsed.variants:
            try:
                variants.append(_verify_playlist(_resolve(name, uri), fetch, context, top=False))
            except _Unreadable as exc:
                variants.append(
                    StreamVerification(uri, problems=(Problem("playlist.unreadable", f"Variant {exc}.", uri),))
                )
        problems = tuple(p for v in variants for p in v.problems)
        return StreamVerification(name, problems=problems, variants=tuple(variants))
    return _verify_media(name, parsed, fetch, context)


def _verify_media(name: str, playlist: _Playlist, fetch: Fetch, context: Any) -> StreamVerification:
    import c2pa

    problems: list[Problem] = []
    if playlist.unsupported:
        problems.append(Problem("playlist.unsupported", f"{name} uses {playlist.unsupported}.", name))
    if len(playlist.init_uris) != 1:
        problems.append(
            Problem(
                "playlist.invalid",
                f"{name} names {len(playlist.init_uris)} init segments (EXT-X-MAP); a stream has exactly one.",
                name,
            )
        )
        return StreamVerification(name, problems=tuple(problems))
    if not playlist.segments:
        problems.append(Problem("playlist.invalid", f"{name} lists no media segments.", name))

    # -- the init segment --
    init_uri = playlist.init_uris[0]
    init_check, init_manifest, init_problems = _check_init(init_uri, name, fetch, c2pa, context)
    problems += init_problems

    # -- each segment on its own --
    checks: list[SegmentCheck] = []
    manifests: list[_Manifest | None] = []
    for position, uri in enumerate(playlist.segments):
        check, manifest, problem = _check_segment(position, uri, name, fetch, c2pa, context)
        checks.append(check)
        manifests.append(manifest)
        if problem is not None:
            problems.append(problem)

    # -- the init binding and the chain --
    stream_id, chain_problems = _check_chain(playlist, checks, manifests, init_check, init_manifest)
    problems += chain_problems
    if init_check.aigc is not None and stream_id is not None and init_check.aigc.get("ProduceID") != stream_id:
        problems.append(
            Problem(
                "init.aigc_mismatch",
                f"The AIGC label's ProduceID {init_check.aigc.get('ProduceID')!r} is not the stream id {stream_id!r}.",
                init_uri,
            )
        )
    ordered = sorted(problems, key=_problem_order)
    return StreamVerification(name, stream_id, init_check, tuple(checks), tuple(ordered))


def _problem_order(p: Problem) -> tuple[int, int]:
    """Playlist problems first, then the init's, then segments in playlist order (the first problem is named)."""
    if p.position is not None:
        return (2, p.position)
    return (0, 0) if p.code.startswith("playlist.") else (1, 0)


def _check_init(
    uri: str, playlist: str, fetch: Fetch, c2pa: Any, context: Any
) -> tuple[InitCheck, _Manifest | None, list[Problem]]:
    try:
        data = fetch(_resolve(playlist, uri))
    except _Unreadable as exc:
        return InitCheck(uri), None, [Problem("init.missing", f"The init segment {exc}.", uri)]
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        kinds = [b.kind for b in iter_boxes(data)]
        items = read_mdta_items(data)
    except BoxError as exc:
        problem = Problem("init.corrupt", f"The init segment {uri} is corrupt: {exc}.", uri)
        return InitCheck(uri, sha256), None, [problem]
    if not kinds or kinds[0] != "ftyp" or "moov" not in kinds:
        found = ", ".join(kinds[:6]) or "nothing"
        return (
            InitCheck(uri, sha256),
            None,
            [Problem("init.corrupt", f"The init segment {uri} is not ftyp+moov (it holds {found}).", uri)],
        )
    problems: list[Problem] = []
    if "mdat" in kinds or "moof" in kinds:
        problems.append(Problem("init.has_media", f"The init segment {uri} carries media data (moof/mdat).", uri))
    try:
        manifest: _Manifest | None = _read_manifest(c2pa, context, data)
    except _Unreadable as exc:
        manifest = None
        problems.append(Problem(f"init.{exc.kind}", f"The init segment {uri} cannot be verified: {exc}.", uri))
    if manifest is not None:
        verdict = _manifest_problem(manifest, f"The init segment {uri}", uri, None, "init")
        if verdict is not None:
            problems.append(verdict)

    aigc_values = [v for k, v in items if "AIGC" in k]
    aigc: dict[str, str] | None = None
    if not aigc_values:
        problems.append(
            Problem("init.aigc_missing", f"The init segment {uri} has no AIGC label in moov/udta/meta.", uri)
        )
    elif len(aigc_values) > 1:
        problems.append(
            Problem("init.aigc_invalid", f"The init segment {uri} has {len(aigc_values)} AIGC labels; one only.", uri)
        )
    else:
        try:
            label = check_aigc_json(aigc_values[0])
        except MetadataError as exc:
            problems.append(Problem("init.aigc_invalid", f"The AIGC label in {uri} breaks GB 45438: {exc}.", uri))
        else:
            aigc = json.loads(label.to_json())
            if label.Label != "1":
                problems.append(
                    Problem(
                        "init.aigc_invalid",
                        f"The AIGC label in {uri} says Label {label.Label!r}; AI-generated content is Label '1'.",
                        uri,
                    )
                )
            signed = manifest.assertions.get(AIGC_LABEL) if manifest is not None else None
            if manifest is not None and signed != aigc:
                problems.append(
                    Problem(
                        "init.aigc_mismatch",
                        f"The AIGC label in {uri}'s metadata differs from the one its C2PA manifest signs.",
                        uri,
                    )
                )
    state = manifest.state if manifest is not None else ""
    manifest_id = manifest.manifest_id if manifest is not None else None
    return InitCheck(uri, sha256, manifest_id, state, aigc), manifest, problems


def _check_segment(
    position: int, uri: str, playlist: str, fetch: Fetch, c2pa: Any, context: Any
) -> tuple[SegmentCheck, _Manifest | None, Problem | None]:
    what = f"Segment {uri} (position {position})"
    try:
        data = fetch(_resolve(playlist, uri))
    except _Unreadable as exc:
        return SegmentCheck(position, uri), None, Problem("segment.missing", f"{what}: {exc}.", uri, position)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        kinds = [b.kind for b in iter_boxes(data)]
    except BoxError as exc:
        return SegmentCheck(position, uri, sha256), None, Problem("segment.corrupt", f"{what}: {exc}.", uri, position)
    if "moof" not in kinds or "mdat" not in kinds:
        corrupt = Problem("segment.corrupt", f"{what} is not an fMP4 media segment (no moof/mdat).", uri, position)
        return SegmentCheck(position, uri, sha256), None, corrupt
    try:
        m = _read_manifest(c2pa, context, data)
    except _Unreadable as exc:
        unreadable = Problem(f"segment.{exc.kind}", f"{what}: {exc}.", uri, position)
        return SegmentCheck(position, uri, sha256), None, unreadable
    live = m.assertions.get(LIVE_SEGMENT_LABEL)
    live = live if isinstance(live, dict) else {}
    sequence = live.get("sequenceNumber")
    check = SegmentCheck(
        position,
        uri,
        sha256,
        m.manifest_id,
        m.state,
        sequence if isinstance(sequence, int) and not isinstance(sequence, bool) else None,
        live.get("streamId") if isinstance(live.get("streamId"), str) else None,
        live.get("previousManifestId") if isinstance(live.get("previousManifestId"), str) else None,
        tuple(code for code, _ in m.failures),
    )
    problem = _manifest_problem(m, what, uri, position, "segment")
    if problem is None and (
        check.sequence is None or check.stream_id is None or live.get("continuityMethod") != "c2pa.manifestId"
    ):
        problem = Problem(
            "segment.not_live",
            f"{what} lacks a c2pa.livevideo.segment assertion with streamId, sequenceNumber and the "
            "c2pa.manifestId continuity method.",
            uri,
            position,
        )
    return check, m, problem


def _binding(m: _Manifest) -> tuple[str, str] | None:
    data = m.assertions.get(INIT_BINDING_LABEL)
    if not isinstance(data, dict) or data.get("alg") != "sha256":
        return None
    return str(data.get("manifestId")), str(data.get("hash"))


def _check_chain(
    playlist: _Playlist,
    checks: Sequence[SegmentCheck],
    manifests: Sequence[_Manifest | None],
    init: InitCheck,
    init_manifest: _Manifest | None,
) -> tuple[str | None, list[Problem]]:
    problems: list[Problem] = []
    usable = [
        (c, m)
        for c, m in zip(checks, manifests, strict=True)
        if m is not None and c.sequence is not None and c.stream_id is not None
    ]
    this_init = (init.manifest_id, init.sha256)
    bound = [c for c, m in usable if _binding(m) == this_init]
    if init_manifest is not None and not bound and any(_binding(m) for _, m in usable):
        first = usable[0][0]
        named = _binding(usable[0][1])
        problems.append(
            Problem(
                "init.swapped",
                f"The init segment {init.uri} is not the one the segments were signed with: they name init manifest "
                f"{named[0] if named else 'none'}, this one is {init.manifest_id}.",
                init.uri,
            )
        )
        stream_id = first.stream_id
    else:
        stream_id = bound[0].stream_id if bound else (usable[0][0].stream_id if usable else None)
    consent = init_manifest.assertions.get(CONSENT_LABEL) if init_manifest is not None else None
    grant = consent.get("consent_grant_id") if isinstance(consent, dict) else None

    all_sequences = {c.sequence for c, _ in usable}
    seen_ids: dict[str, int] = {}
    seen_sequences: dict[int, int] = {}
    baseline: SegmentCheck | None = None
    expected_first = 0 if playlist.ended else playlist.media_sequence
    for c, m in usable:
        seq = c.sequence or 0  # never None here (filtered above)
        where = f"Segment {c.uri} (position {c.position}, sequence {seq})"
        binding = _binding(m)
        problem: Problem | None = None
        advance = True
        if binding is None:
            problem = Problem("segment.unbound", f"{where} does not bind an init segment.", c.uri, c.position)
            advance = False
        elif bound and binding != this_init:
            problem = Problem(
                "segment.inserted",
                f"{where} belongs to another stream or rendering: it binds init manifest {binding[0]}, "
                f"not {init.manifest_id}.",
                c.uri,
                c.position,
            )
            advance = False
        elif c.stream_id != stream_id:
            problem = Problem(
                "segment.inserted",
                f"{where} belongs to stream {c.stream_id!r}, not {stream_id!r}.",
                c.uri,
                c.position,
            )
            advance = False
        elif c.manifest_id in seen_ids:
            problem = Problem(
                "segment.duplicated",
                f"{where} repeats the segment at position {seen_ids[c.manifest_id]} (same manifest).",
                c.uri,
                c.position,
            )
            advance = False
        elif seq in seen_sequences:
            problem = Problem(
                "segment.duplicated",
                f"{where} claims the same sequence number as the different segment at position "
                f"{seen_sequences[seq]}: one of them was inserted or rendered twice.",
                c.uri,
                c.position,
            )
            advance = False
        elif baseline is None:
            if seq != expected_first and c.position == 0:
                problem = _gap_problem(where, c, expected_first, seq, all_sequences, "at the start")
            elif seq == 0 and c.previous_manifest_id != init.manifest_id and init.manifest_id is not None:
                problem = Problem(
                    "init.swapped",
                    f"{where} names {c.previous_manifest_id} as its previous manifest, not the init segment's.",
                    c.uri,
                    c.position,
                )
        else:
            before = baseline.sequence or 0
            if seq > before + 1:
                problem = _gap_problem(where, c, before + 1, seq, all_sequences, f"after sequence {before}")
            elif seq <= before:
                problem = Problem(
                    "segment.reordered",
                    f"{where} comes after sequence {before}: the segments are out of order.",
                    c.uri,
                    c.position,
                )
            elif c.previous_manifest_id != baseline.manifest_id:
                problem = Problem(
                    "segment.chain_broken",
                    f"{where} was not signed after the segment before it (its previousManifestId "
                    f"{c.previous_manifest_id} is not {baseline.manifest_id}).",
                    c.uri,
                    c.position,
                )
        if problem is None and grant is not None:
            seg_consent = m.assertions.get(CONSENT_LABEL)
            if not isinstance(seg_consent, dict) or seg_consent.get("consent_grant_id") != grant:
                problem = Problem(
                    "segment.consent_mismatch",
                    f"{where} names another consent grant than the init segment ({grant}).",
                    c.uri,
                    c.position,
                )
        if problem is not None:
            problems.append(problem)
        if advance:
            baseline = c
            seen_sequences[seq] = c.position
        if c.manifest_id is not None:
            seen_ids.setdefault(c.manifest_id, c.position)
    return stream_id, problems


def _gap_problem(where: str, c: SegmentCheck, first: int, seq: int, present: set[int | None], at: str) -> Problem:
    missing = list(range(first, seq))
    if any(s in present for s in missing):
        return Problem(
            "segment.reordered",
            f"{where} comes before sequence {missing[0]}, which the playlist lists elsewhere: the segments are out "
            "of order.",
            c.uri,
            c.position,
        )
    span = f"{missing[0]}" if len(missing) == 1 else f"{missing[0]}–{missing[-1]}"
    return Problem(
        "segment.dropped",
        f"{where}: segment {span} is missing {at} (dropped from the stream).",
        c.uri,
        c.position,
    )


# --- report and command line --------------------------------------------------------------------------------------


def format_report(result: StreamVerification) -> str:
    """A human-readable report: the verdict, the first problem named, then what was checked."""
    lines = [f"Stream verification of {result.playlist}: {'OK' if result.ok else 'FAILED'}"]
    if result.first_problem is not None:
        p = result.first_problem
        lines.append(f"First problem [{p.code}]: {p.message}")
    for variant in result.variants or (result,):
        if variant is not result:
            lines.append(f"Variant {variant.playlist}: {'OK' if variant.ok else 'FAILED'}")
        if variant.init is not None:
            i = variant.init
            aigc = " ".join(f"{k}={v}" for k, v in (i.aigc or {}).items() if v) or "none"
            lines.append(f"  init {i.uri}: {i.state or 'unread'} {i.manifest_id or '-'} sha256 {i.sha256[:16]}")
            lines.append(f"  AIGC: {aigc}")
        if variant.stream_id:
            lines.append(f"  stream id: {variant.stream_id}")
        for s in variant.segments:
            seq = "-" if s.sequence is None else str(s.sequence)
            lines.append(f"  [{s.position}] {s.uri}: sequence {seq}, {s.state or 'unread'}, {s.manifest_id or '-'}")
    if len(result.problems) > 1:
        lines.append(f"All problems ({len(result.problems)}):")
        lines += [f"  [{p.code}] {p.message}" for p in result.problems]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m render.engine.verify_stream",
        description="Verify a signed HLS stream: C2PA manifests, trust chain, init binding, live-segment chain and "
        "the GB 45438 AIGC label. Exit 0 only when all is well, 1 when the stream has a problem, 2 on bad usage.",
    )
    parser.add_argument("playlist", help="media or multivariant playlist (.m3u8); segments are read next to it")
    parser.add_argument(
        "--trust-anchor", action="append", required=True, metavar="PEM", help="trust anchor certificate(s), PEM"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    pem = b""
    for path in args.trust_anchor:
        try:
            pem += Path(path).read_bytes() + b"\n"
        except OSError as exc:
            print(f"error: cannot read the trust anchor {path}: {exc.strerror}", file=sys.stderr)
            return 2
    try:
        result = verify_stream(args.playlist, pem)
    except TrustAnchorError as exc:
        print(f"error: {exc} ({', '.join(args.trust_anchor)})", file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict(), indent=2) if args.json else format_report(result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

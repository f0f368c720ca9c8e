"""Per-segment C2PA signing of fMP4 media segments (C2PA 2.3 §19.3 style) with c2pa-python 0.38.1.

Each media segment gets its own manifest (a `uuid` box after the first box) with:
- `c2pa.actions`: `c2pa.created`, digitalSourceType trainedAlgorithmicMedia;
- `com.veracast.consent`: the consent grant id and the SHA-256 of the consent document it rests on;
- `c2pa.livevideo.segment`: streamId, sequenceNumber, continuityMethod "c2pa.manifestId" and the previous segment's
  manifest id, so a verifier can check the chain (c2pa-rs 0.91 stores it but does not validate continuity itself;
  `render.engine.verify_stream` does). Segment 0's previous manifest is the init segment's;
- `com.veracast.livevideo.init`: the manifest id and SHA-256 of the signed init segment the stream was published
  with. The init carries the GB 45438 AIGC metadata and is signed on its own, so without this binding an init from
  another stream (or one with its AIGC label stripped and re-signed) could be swapped in under valid segments.

c2pa-rs 0.91.3 refuses BMFF data that does not start with `ftyp` ("expected box type ftyp at offset 4"), so a
segment's `styp` header is renamed to `ftyp` before signing (same layout; `ftyp` is excluded from the BMFF hash) and
the segment is delivered that way: renaming it back would break the hash. FFmpeg plays such segments.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
CONSENT_LABEL = "com.veracast.consent"
LIVE_SEGMENT_LABEL = "c2pa.livevideo.segment"
AIGC_LABEL = "cn.gb45438.aigc"
INIT_BINDING_LABEL = "com.veracast.livevideo.init"
# ISO BMFF `uuid` box type of a C2PA manifest store (C2PA spec, "Embedding manifests into BMFF-based assets").
C2PA_BOX_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
_ALLOWED_EKUS = {
    ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string,
    "1.3.6.1.5.5.7.3.36",  # documentSigning
    "1.3.6.1.4.1.62558.2.1",  # c2pa-kp-claimSigning
    "1.3.6.1.4.1.311.76.59.1.9",  # Microsoft C2PA signing
}


class SigningError(ValueError):
    """The C2PA signer cannot be set up or cannot sign (names the file and the problem)."""


@dataclass(frozen=True)
class ConsentReference:
    grant_id: str
    document_sha256: str  # hex

    def __post_init__(self) -> None:
        if not self.grant_id:
            raise SigningError("consent grant id is empty")
        if len(self.document_sha256) != 64 or any(c not in "0123456789abcdef" for c in self.document_sha256):
            raise SigningError("consent document hash must be 64 lowercase hex characters (SHA-256)")


@dataclass(frozen=True)
class SignedSegment:
    data: bytes
    manifest_id: str  # urn:c2pa:... label of the active manifest


@dataclass(frozen=True)
class InitBinding:
    """What every media segment's manifest says about the init segment it belongs to (as published, signed)."""

    manifest_id: str
    sha256: str  # hex, of the signed init segment's bytes

    @classmethod
    def of(cls, data: bytes, manifest_id: str) -> InitBinding:
        return cls(manifest_id, hashlib.sha256(data).hexdigest())

    def assertion_data(self) -> dict[str, Any]:
        return {"manifestId": self.manifest_id, "alg": "sha256", "hash": self.sha256}


def _read(path: str | os.PathLike[str], what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SigningError(f"{what} file not found: {path}") from None
    except OSError as exc:
        raise SigningError(f"cannot read {what} file {path}: {exc.strerror}") from exc


def _check_credentials(chain_pem: bytes, key_pem: bytes, chain_path: str, key_path: str) -> None:
    try:
        certs = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        raise SigningError(f"certificate chain {chain_path} is not PEM certificates: {exc}") from exc
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"signing key {key_path} is not an unencrypted PEM private key: {exc}") from exc
    leaf = certs[0]
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise SigningError(f"signing key {key_path} must be an ECDSA P-256 key (ES256)")
    if key.public_key().public_numbers() != leaf.public_key().public_numbers():  # type: ignore[union-attr]
        raise SigningError(f"signing key {key_path} does not match the certificate {leaf.subject.rfc4514_string()}")
    now = datetime.now(UTC)
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        raise SigningError(f"signing certificate {leaf.subject.rfc4514_string()} is not valid now (expired?)")
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        ekus = {oid.dotted_string for oid in leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value}
    except x509.ExtensionNotFound as exc:
        raise SigningError(f"signing certificate lacks {exc.oid._name}; C2PA needs KeyUsage and an EKU") from exc
    if not usage.digital_signature:
        raise SigningError("signing certificate lacks KeyUsage digitalSignature")
    if not ekus & _ALLOWED_EKUS:
        raise SigningError("signing certificate has no C2PA-accepted EKU (emailProtection or documentSigning)")
    if len(certs) < 2:
        raise SigningError(f"chain {chain_path} holds only the signing certificate; append the intermediate CA")


class SegmentSigner:
    """Signs segments with one ES256 key; reuses the c2pa Signer and Context (a Builder is made per segment)."""

    def __init__(
        self,
        *,
        chain_path: str | os.PathLike[str],
        key_path: str | os.PathLike[str],
        trust_anchor_path: str | os.PathLike[str] | None = None,
        generator: str = "veracast-render",
        version: str = "0.1.0",
    ) -> None:
        import c2pa

        chain_pem = _read(chain_path, "certificate chain")
        key_pem = _read(key_path, "signing key")
        _check_credentials(chain_pem, key_pem, os.fspath(chain_path), os.fspath(key_path))
        self._c2pa = c2pa
        settings: dict[str, Any] = {
            "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False, "verify_after_sign": False},
            "builder": {"thumbnail": {"enabled": False}},
        }
        if trust_anchor_path is not None:
            settings["trust"] = {"user_anchors": _read(trust_anchor_path, "trust anchor").decode()}
        self.context = c2pa.Context.from_dict(settings)
        try:
            self._signer = c2pa.Signer.from_info(
                c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain_pem, key_pem, None)
            )
        except c2pa.C2paError as exc:
            raise SigningError(f"c2pa refused the signing credentials {chain_path}: {exc}") from exc
        self.generator = {"name": generator, "version": version}

    def _manifest(self, title: str, assertions: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "claim_generator_info": [self.generator],
            "title": title,
            "format": "video/mp4",
            "assertions": [
                {
                    "label": "c2pa.actions",
                    "data": {
                        "actions": [
                            {
                                "action": "c2pa.created",
                                "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                                "softwareAgent": self.generator,
                            }
                        ]
                    },
                },
                *assertions,
            ],
        }

    def _sign(self, data: bytes, manifest: dict[str, Any]) -> SignedSegment:
        if data[4:8] == b"styp":
            data = data[:4] + b"ftyp" + data[8:]
        out = io.BytesIO()
        try:
            with self._c2pa.Builder(manifest, context=self.context) as builder:
                store = builder.sign(self._signer, "video/mp4", io.BytesIO(data), out)
        except self._c2pa.C2paError as exc:
            raise SigningError(f"C2PA signing failed: {exc}") from exc
        return SignedSegment(out.getvalue(), active_manifest_label(store))

    def sign_init(self, data: bytes, *, stream_id: str, consent: ConsentReference, aigc_json: str) -> SignedSegment:
        return self._sign(
            data,
            self._manifest(
                f"{stream_id}/init.mp4",
                [
                    {"label": CONSENT_LABEL, "data": _consent_data(consent)},
                    {"label": AIGC_LABEL, "data": json.loads(aigc_json)},
                ],
            ),
        )

    def sign_segment(
        self,
        data: bytes,
        *,
        stream_id: str,
        sequence: int,
        previous_manifest_id: str | None,
        consent: ConsentReference,
        extra: dict[str, Any] | None = None,
        init: InitBinding | None = None,
    ) -> SignedSegment:
        """Sign one media segment. With `init`, the manifest binds that init segment, and a segment without a
        previous one (the stream's first) names the init's manifest as its previous manifest."""
        live: dict[str, Any] = {
            "sequenceNumber": sequence,
            "streamId": stream_id,
            "continuityMethod": "c2pa.manifestId",
        }
        previous = previous_manifest_id or (init.manifest_id if init is not None else None)
        if previous:
            live["previousManifestId"] = previous
        assertions = [
            {"label": CONSENT_LABEL, "data": {**_consent_data(consent), **(extra or {})}},
            {"label": LIVE_SEGMENT_LABEL, "data": live},
        ]
        if init is not None:
            assertions.append({"label": INIT_BINDING_LABEL, "data": init.assertion_data()})
        return self._sign(data, self._manifest(f"{stream_id}/seg_{sequence:06d}.m4s", assertions))

    def sign_video(self, data: bytes, *, title: str, assertions: list[dict[str, Any]]) -> SignedSegment:
        """Sign a whole (non-fragmented) MP4, a short video: one manifest over the file, the same key and actions."""
        return self._sign(data, self._manifest(title, assertions))


def _consent_data(consent: ConsentReference) -> dict[str, Any]:
    return {"consent_grant_id": consent.grant_id, "consent_document_sha256": consent.document_sha256}


def manifest_store_of(data: bytes) -> bytes:
    """The JUMBF manifest store embedded in a signed MP4/fMP4 (its top-level C2PA `uuid` box).

    Box payload: 16-byte UUID, version/flags (4), purpose (NUL-terminated, "manifest"), an 8-byte offset, then JUMBF.
    """
    from render.engine.fmp4 import BoxError, iter_boxes

    try:
        for b in iter_boxes(data):
            p = b.payload_offset
            if b.kind == "uuid" and data[p : p + 16] == C2PA_BOX_UUID:
                end = data.index(b"\x00", p + 20, b.offset + b.size)
                if data[p + 20 : end] == b"manifest":
                    return data[end + 9 : b.offset + b.size]
    except (BoxError, ValueError) as exc:
        raise SigningError(f"not a readable MP4: {exc}") from exc
    raise SigningError("no C2PA manifest box in the data")


def signed_manifest_id(data: bytes) -> str:
    """The active manifest id of a signed segment, read from its bytes (no validation: see verify_stream)."""
    from render.engine.fmp4 import BoxError

    store = manifest_store_of(data)
    try:
        return active_manifest_label(store)
    except (BoxError, ValueError, IndexError) as exc:
        if isinstance(exc, SigningError):
            raise
        raise SigningError(f"the C2PA manifest store is malformed: {exc}") from exc


def active_manifest_label(store: bytes) -> str:
    """Label (urn:c2pa:...) of the last manifest in a JUMBF manifest store, as returned by Builder.sign.

    JUMBF: a 'jumb' superbox whose first child 'jumd' holds a 16-byte type UUID, a toggles byte and, when bit 0x02
    is set, a NUL-terminated label; the store's child superboxes are the manifests, the active one last.
    """
    from render.engine.fmp4 import iter_boxes

    def label_of(superbox_start: int, superbox_end: int) -> tuple[str, list[tuple[int, int]]]:
        label = ""
        kids = []
        for child in iter_boxes(store, superbox_start, superbox_end):
            if child.kind == "jumd":
                p = child.payload_offset
                toggles = store[p + 16]
                if toggles & 0x02:
                    end = store.index(b"\x00", p + 17)
                    label = store[p + 17 : end].decode("utf-8")
            elif child.kind == "jumb":
                kids.append((child.payload_offset, child.offset + child.size))
        return label, kids

    top = next(iter_boxes(store), None)
    if top is None or top.kind != "jumb":
        raise SigningError("c2pa returned no JUMBF manifest store")
    _, manifests = label_of(top.payload_offset, top.offset + top.size)
    if not manifests:
        raise SigningError("manifest store holds no manifest")
    label, _ = label_of(*manifests[-1])
    if not label.startswith("urn:"):
        raise SigningError(f"unexpected manifest label {label!r}")
    return label


# --- verification (used by tests, the CLI and auditors) ------------------------------------------------------------


@dataclass(frozen=True)
class SegmentReport:
    state: str  # "Trusted" | "Valid" | "Invalid"
    manifest_id: str | None
    assertions: dict[str, Any]
    failures: list[str]


def read_segment(data: bytes, *, trust_anchor_path: str | os.PathLike[str] | None = None) -> SegmentReport:
    import c2pa

    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if trust_anchor_path is not None:
        settings["trust"] = {"user_anchors": _read(trust_anchor_path, "trust anchor").decode()}
    context = c2pa.Context.from_dict(settings)
    try:
        with c2pa.Reader("video/mp4", io.BytesIO(data), context=context) as reader:
            state = str(reader.get_validation_state())
            store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        return SegmentReport("Invalid", None, {}, [f"unreadable: {exc}"])
    active = store.get("active_manifest")
    manifest = store.get("manifests", {}).get(active, {})
    assertions = {a["label"]: a.get("data") for a in manifest.get("assertions", [])}
    failures = [
        f.get("code", "?") for f in store.get("validation_results", {}).get("activeManifest", {}).get("failure", [])
    ]
    return SegmentReport(state, active, assertions, failures)


def verify_segment_chain(reports: Sequence[SegmentReport], *, stream_id: str) -> list[str]:
    """Continuity problems across consecutive segments (empty list = the chain links up)."""
    problems = []
    previous: SegmentReport | None = None
    for i, report in enumerate(reports):
        live = report.assertions.get(LIVE_SEGMENT_LABEL) or {}
        if live.get("streamId") != stream_id:
            problems.append(f"segment {i}: streamId {live.get('streamId')!r} != {stream_id!r}")
        if previous is not None:
            prev_live = previous.assertions.get(LIVE_SEGMENT_LABEL) or {}
            if live.get("previousManifestId") != previous.manifest_id:
                problems.append(f"segment {i}: previousManifestId does not name segment {i - 1}'s manifest")
            if not isinstance(live.get("sequenceNumber"), int) or live["sequenceNumber"] <= prev_live.get(
                "sequenceNumber", -1
            ):
                problems.append(f"segment {i}: sequenceNumber is not increasing")
        previous = report
    return problems


def box_header(data: bytes) -> str:
    """The first box type of a segment ('ftyp' once signed)."""
    return data[4:8].decode("latin-1") if len(data) >= 8 and struct.unpack(">I", data[:4])[0] >= 8 else ""

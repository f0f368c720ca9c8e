"""Verify a Veracast auditor bundle offline: `python verify.py [BUNDLE_DIR] [--key PUBLIC_KEY.pem]`.

This file is copied into every bundle as verify.py. It needs only the Python standard library and `cryptography`,
and it trusts nothing in the bundle that it can recompute. It checks, in this order, and stops at the first problem:

1. MANIFEST.sig is an Ed25519 signature over the exact bytes of MANIFEST.json by the key it names; that key is in
   keys/<key_id>.pem and really has that id; with --key, it is also the key you pinned.
2. The files on disk are exactly those MANIFEST.json lists (none missing, none added).
3. events.jsonl: events in ascending id, each event's hash recomputed from its canonical envelope, the per-subject
   chains (seq 1, 2, 3, ... and each prev_hash the hash before it; a part of a chain outside the export's scope is
   stated by an "elided" line), and one inclusion proof per event in proofs.jsonl, folding up to the Merkle root of a
   checkpoint in checkpoints.jsonl; each checkpoint's hash, signature (keys/) and link to the one before it.
4. Every file's size and SHA-256 against MANIFEST.json, and the counts the manifest states.

Exit 0 prints a one-line summary; anything else exits 1 with one sentence naming the first problem (2 for usage).
The formats are described in the bundle's README.md and in docs/audit-bundle.md of the Veracast repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMAT = "veracast-audit-bundle/1"
ZERO_HASH = "0" * 64
MANIFEST = "MANIFEST.json"
SIGNATURE = "MANIFEST.sig"
EVENTS = "events.jsonl"
PROOFS = "proofs.jsonl"
CHECKPOINTS = "checkpoints.jsonl"
# An event line is the JCS text of {"envelope": <the hashed envelope, verbatim>, "hash": ..., "id": ...}: the bytes
# that were hashed appear literally between these two anchors.
_EVENT_PREFIX = b'{"envelope":'
_EVENT_SUFFIX = re.compile(rb',"hash":"([0-9a-f]{64})","id":([0-9]+)\}$')
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


class Problem(Exception):  # noqa: N818 - it is not an error of the program but the finding
    """The first thing wrong with the bundle, as one sentence."""


# ---------------------------------------------------------------------------------------------------------------------
# Keys and signatures
# ---------------------------------------------------------------------------------------------------------------------


def key_id_for(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(pem: bytes, where: str) -> bytes:
    """The raw 32 bytes of an Ed25519 public key in PEM (SubjectPublicKeyInfo)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise Problem(f"{where} is not a readable PEM public key ({exc}).") from None
    if not isinstance(key, Ed25519PublicKey):
        raise Problem(f"{where} is not an Ed25519 public key.")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def signature_ok(raw_key: bytes, signature_hex: str, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


class Keys:
    """The bundle's public keys (keys/<key_id>.pem), each checked to have the id its file name claims."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, bytes] = {}

    def get(self, key_id: str, needed_by: str) -> bytes:
        if key_id in self._cache:
            return self._cache[key_id]
        if not re.fullmatch(r"[0-9a-f]{16}", key_id):
            raise Problem(f"{needed_by} names a malformed key id {key_id!r}.")
        name = f"keys/{key_id}.pem"
        path = self.root / name
        if not path.is_file():
            raise Problem(f"{needed_by} is signed with key {key_id}, but {name} is not in the bundle.")
        raw = load_public_key(path.read_bytes(), name)
        actual = key_id_for(raw)
        if actual != key_id:
            raise Problem(f"The public key {name} has key id {actual}, not {key_id}: the key was swapped.")
        self._cache[key_id] = raw
        return raw


# ---------------------------------------------------------------------------------------------------------------------
# Canonical JSON (only what checkpoint bodies need: ASCII keys, strings and integers)
# ---------------------------------------------------------------------------------------------------------------------


def jcs_simple(value: dict[str, Any]) -> bytes:
    """RFC 8785 text of a flat object of strings and integers (sorted keys, no whitespace, UTF-8)."""
    for key, item in value.items():
        if not isinstance(item, str | int) or isinstance(item, bool):
            raise Problem(f"checkpoint field {key} has an unexpected type ({type(item).__name__}).")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------------------------------
# Merkle proofs (RFC 6962 hashing; a node without a sibling is promoted unchanged)
# ---------------------------------------------------------------------------------------------------------------------


def leaf_hash(event_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(event_hash)).digest()


def root_from_path(event_hash: str, index: int, tree_size: int, path: list[str]) -> str | None:
    """Fold `path` (sibling hashes bottom-up) from leaf `index` of a tree of `tree_size` leaves; None if malformed.

    Which side each sibling is on, and at which levels a node has no sibling, follows from index and size alone, so
    the proof also pins the event's position in the checkpoint.
    """
    if not 0 <= index < tree_size:
        return None
    current = leaf_hash(event_hash)
    position, width, steps = index, tree_size, iter(path)
    while width > 1:
        sibling = position ^ 1
        if sibling < width:
            step = next(steps, None)
            if step is None or not _HEX64.match(step):
                return None
            other = bytes.fromhex(step)
            pair = other + current if sibling < position else current + other
            current = hashlib.sha256(b"\x01" + pair).digest()
        position //= 2
        width = (width + 1) // 2
    if next(steps, None) is not None:
        return None
    return current.hex()


# ---------------------------------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------------------------------


def check_manifest(root: Path, pinned: Path | None) -> tuple[dict[str, Any], Keys, str]:
    manifest_path, signature_path = root / MANIFEST, root / SIGNATURE
    for path in (manifest_path, signature_path):
        if not path.is_file():
            raise Problem(f"{path.name} is missing: this is not a complete Veracast audit bundle.")
    manifest_bytes = manifest_path.read_bytes()
    try:
        signature = json.loads(signature_path.read_bytes())
        key_id, signature_hex = str(signature["key_id"]), str(signature["signature"])
    except (ValueError, KeyError, TypeError):
        raise Problem(f"{SIGNATURE} is not a JSON object with key_id and signature.") from None
    keys = Keys(root)
    raw = keys.get(key_id, SIGNATURE)
    if not signature_ok(raw, signature_hex, manifest_bytes):
        raise Problem(
            f"{SIGNATURE} does not verify: the signature over {MANIFEST} is not by key {key_id} "
            "(the manifest was changed or the signature forged)."
        )
    if pinned is not None:
        pinned_raw = load_public_key(pinned.read_bytes(), f"the pinned key {pinned}")
        if pinned_raw != raw:
            raise Problem(
                f"{MANIFEST} is signed by key {key_id}, not by the pinned key {key_id_for(pinned_raw)} ({pinned})."
            )
    try:
        manifest = json.loads(manifest_bytes)
        files = manifest["files"]
        if manifest.get("format") != FORMAT:
            raise Problem(f"{MANIFEST} has format {manifest.get('format')!r}; this verifier reads {FORMAT}.")
        if manifest.get("key_id") != key_id:
            raise Problem(f"{MANIFEST} names signing key {manifest.get('key_id')}, but {SIGNATURE} uses {key_id}.")
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise Problem(f"{MANIFEST} has no list of files.")
    except (ValueError, KeyError, TypeError):
        raise Problem(f"{MANIFEST} is not the JSON object this verifier expects.") from None
    return manifest, keys, key_id


def check_file_set(root: Path, manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    listed = {str(entry.get("path")): entry for entry in manifest["files"]}
    on_disk = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file() or path.is_symlink()} - {
        MANIFEST,
        SIGNATURE,
    }
    for name in sorted(listed):
        if name not in on_disk:
            raise Problem(f"The file {name} listed in {MANIFEST} is missing from the bundle.")
    for name in sorted(on_disk):
        if name not in listed:
            raise Problem(f"The file {name} is not listed in {MANIFEST}: something was added to the bundle.")
        if (root / name).is_symlink():
            # A link would make the verifier hash a file outside the bundle.
            raise Problem(f"The file {name} is a symbolic link; a bundle holds only plain files.")
    return listed


def load_checkpoints(root: Path, keys: Keys) -> dict[int, dict[str, Any]]:
    """Every checkpoint, its hash and signature recomputed, each linked to the one before it."""
    checkpoints: dict[int, dict[str, Any]] = {}
    previous: dict[str, Any] | None = None
    with (root / CHECKPOINTS).open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            where = f"{CHECKPOINTS} line {number}"
            try:
                row = json.loads(line)
                body = {
                    name: row[name]
                    for name in (
                        "created_at",
                        "event_count",
                        "first_event_id",
                        "key_id",
                        "last_event_id",
                        "merkle_root",
                        "prev_checkpoint_hash",
                    )
                }
                checkpoint_id, signature = int(row["id"]), str(row["signature"])
            except (ValueError, KeyError, TypeError):
                raise Problem(f"{where} is not a checkpoint record.") from None
            data = jcs_simple(body)
            if hashlib.sha256(data).hexdigest() != row.get("hash"):
                raise Problem(f"{where}: checkpoint {checkpoint_id}'s hash does not match its content.")
            raw = keys.get(str(body["key_id"]), f"{where} (checkpoint {checkpoint_id})")
            if not signature_ok(raw, signature, data):
                raise Problem(
                    f"{where}: checkpoint {checkpoint_id}'s signature does not verify with key {body['key_id']}."
                )
            # The bundle holds a consecutive run of checkpoints, each signing the hash of the one before it.
            if previous is not None:
                if checkpoint_id != previous["id"] + 1:
                    raise Problem(
                        f"{where}: checkpoint {checkpoint_id} follows checkpoint {previous['id']}; "
                        "they must be consecutive."
                    )
                if body["prev_checkpoint_hash"] != previous["hash"]:
                    raise Problem(f"{where}: checkpoint {checkpoint_id} does not link to checkpoint {previous['id']}.")
            checkpoints[checkpoint_id] = row
            previous = row
    return checkpoints


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip(b"\n")


def _event_id_of(line: bytes | None) -> int | None:
    if line is None:
        return None
    match = _EVENT_SUFFIX.search(line)
    return int(match.group(2)) if match else None


def check_events(root: Path, checkpoints: dict[int, dict[str, Any]]) -> tuple[int, int]:
    """Walk events.jsonl and proofs.jsonl in step. Returns (events, subjects)."""
    heads: dict[str, tuple[int, str | None]] = {}
    proofs = _lines(root / PROOFS)
    events = _lines(root / EVENTS)
    last_id = 0
    count = 0
    current = next(events, None)
    while current is not None:
        number, line = current
        upcoming = next(events, None)
        where = f"{EVENTS} line {number}"
        if line.startswith(b'{"elided":'):
            try:
                elided = json.loads(line)["elided"]
                subject, first, last = str(elided["subject"]), int(elided["from_seq"]), int(elided["to_seq"])
            except (ValueError, KeyError, TypeError):
                raise Problem(f"{where} is not a well-formed elided-range record.") from None
            expected = heads.get(subject, (0, ZERO_HASH))[0] + 1
            if first != expected or last < first:
                raise Problem(
                    f"{where}: the elided range {first}..{last} of {subject} does not follow seq {expected - 1}."
                )
            heads[subject] = (last, None)
            current = upcoming
            continue
        match = _EVENT_SUFFIX.search(line)
        if not line.startswith(_EVENT_PREFIX) or match is None:
            raise Problem(f"{where} is not an event record.")
        stored_hash, event_id = match.group(1).decode(), int(match.group(2))
        # Order first, looking one line ahead, so that two swapped events are named as such rather than as a gap.
        next_id = _event_id_of(upcoming[1]) if upcoming else None
        if event_id <= last_id:
            raise Problem(
                f"{where}: event {event_id} comes after event {last_id}; events must be in ascending id order."
            )
        if next_id is not None and next_id <= event_id:
            raise Problem(
                f"{where}: events {event_id} and {next_id} are out of order (two events were swapped or moved); "
                "events must be in ascending id order."
            )
        envelope_bytes = line[len(_EVENT_PREFIX) : match.start()]
        if hashlib.sha256(envelope_bytes).hexdigest() != stored_hash:
            raise Problem(f"{where}: event {event_id}'s hash does not match its content (the event was changed).")
        try:
            envelope = json.loads(envelope_bytes)
            subject, seq, prev_hash = str(envelope["subject"]), int(envelope["seq"]), str(envelope["prev_hash"])
            if not _TIMESTAMP.match(str(envelope["recorded_at"])):
                raise Problem(f"{where}: event {event_id} has a malformed time {envelope['recorded_at']!r}.")
        except (ValueError, KeyError, TypeError):
            raise Problem(f"{where}: event {event_id}'s envelope is not a ledger event.") from None
        head_seq, head_hash = heads.get(subject, (0, ZERO_HASH))
        if seq != head_seq + 1:
            if seq > head_seq + 1:
                raise Problem(
                    f"{where}: event {event_id} of {subject} has seq {seq} but the chain's previous event has seq "
                    f"{head_seq}: {seq - head_seq - 1} event(s) are missing from the chain (removed from the middle)."
                )
            raise Problem(
                f"{where}: event {event_id} of {subject} repeats or goes back to seq {seq} (after {head_seq})."
            )
        if head_hash is not None and prev_hash != head_hash:
            raise Problem(f"{where}: event {event_id}'s prev_hash does not match the previous event of {subject}.")
        heads[subject] = (seq, stored_hash)
        _check_proof(proofs, event_id, stored_hash, checkpoints, where)
        last_id = event_id
        count += 1
        current = upcoming
    extra = next(proofs, None)
    if extra is not None:
        raise Problem(
            f"{PROOFS} line {extra[0]} has a proof for an event that is not in {EVENTS} (an event was removed)."
        )
    return count, len(heads)


def _check_proof(
    proofs: Iterator[tuple[int, bytes]], event_id: int, event_hash: str, checkpoints: dict[int, Any], where: str
) -> None:
    item = next(proofs, None)
    if item is None:
        raise Problem(f"{where}: event {event_id} has no inclusion proof in {PROOFS}.")
    number, line = item
    proof_where = f"{PROOFS} line {number}"
    try:
        proof = json.loads(line)
        proved_id, checkpoint_id, index = int(proof["event"]), int(proof["checkpoint"]), int(proof["index"])
        path = [str(step) for step in proof["path"]]
    except (ValueError, KeyError, TypeError):
        raise Problem(f"{proof_where} is not an inclusion proof.") from None
    if proved_id < event_id:
        raise Problem(
            f"{EVENTS}: event {proved_id} is missing ({proof_where} proves it, but {where} holds event {event_id})."
        )
    if proved_id != event_id:
        raise Problem(f"{proof_where} proves event {proved_id}, but {where} holds event {event_id}.")
    checkpoint = checkpoints.get(checkpoint_id)
    if checkpoint is None:
        raise Problem(
            f"{proof_where}: event {event_id} is proved against checkpoint {checkpoint_id}, "
            f"which is not in {CHECKPOINTS}."
        )
    if not checkpoint["first_event_id"] <= event_id <= checkpoint["last_event_id"]:
        raise Problem(f"{proof_where}: checkpoint {checkpoint_id} does not cover event {event_id}.")
    root = root_from_path(event_hash, index, int(checkpoint["event_count"]), path)
    if root != checkpoint["merkle_root"]:
        raise Problem(
            f"{proof_where}: the inclusion proof of event {event_id} does not reach "
            f"checkpoint {checkpoint_id}'s Merkle root."
        )


def check_hashes(root: Path, listed: dict[str, dict[str, Any]]) -> int:
    total = 0
    for name in sorted(listed):
        entry = listed[name]
        path = root / name
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        if size != entry.get("size") or digest.hexdigest() != entry.get("sha256"):
            raise Problem(
                f"The file {name} does not match its SHA-256 and size in {MANIFEST} (it was changed or truncated)."
            )
        total += size
    return total


def verify(root: Path, pinned: Path | None = None) -> str:
    """Raise Problem naming the first problem, or return a one-line summary."""
    manifest, keys, key_id = check_manifest(root, pinned)
    listed = check_file_set(root, manifest)
    for required in (EVENTS, PROOFS, CHECKPOINTS):
        if required not in listed:
            raise Problem(f"{MANIFEST} does not list {required}: this is not a complete Veracast audit bundle.")
    checkpoints = load_checkpoints(root, keys)
    events, subjects = check_events(root, checkpoints)
    total = check_hashes(root, listed)
    counts = manifest.get("counts", {})
    if counts.get("events") != events:
        raise Problem(f"{EVENTS} holds {events} events but the signed manifest says {counts.get('events')}.")
    if counts.get("checkpoints") != len(checkpoints):
        raise Problem(
            f"{CHECKPOINTS} holds {len(checkpoints)} checkpoints "
            f"but the signed manifest says {counts.get('checkpoints')}."
        )
    return (
        f"Bundle intact: {len(listed)} files ({total} bytes), {events} events in {subjects} chains, "
        f"{len(checkpoints)} signed checkpoints, every inclusion proof valid; manifest signed by key {key_id}."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Veracast auditor bundle offline.")
    parser.add_argument(
        "bundle",
        nargs="?",
        default=str(Path(__file__).resolve().parent),
        help="the unpacked bundle (default: this file's folder)",
    )
    parser.add_argument(
        "--key", type=Path, help="a public key (PEM) the manifest must be signed by, obtained from Veracast out of band"
    )
    args = parser.parse_args(argv)
    try:
        summary = verify(Path(args.bundle), args.key)
    except Problem as problem:
        print(f"BUNDLE INVALID: {problem}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"BUNDLE INVALID: cannot read {exc.filename}: {exc.strerror}.", file=sys.stderr)
        return 1
    except Exception as exc:  # damaged input must end in one sentence, never a traceback
        print(f"BUNDLE INVALID: the bundle holds content this verifier cannot read ({exc!r}).", file=sys.stderr)
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())

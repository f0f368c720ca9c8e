"""The ledger's hash rules and their verifier, free of Django so that an auditor bundle can ship this file alone.

Dependencies: the standard library, `rfc8785` (JSON Canonicalization Scheme) and, for checkpoint signatures only,
`cryptography`. Everything here works on plain dicts, so the same code checks the live database
(`manage.py verify_ledger`) and an exported bundle.

Event hash
----------
Each event belongs to one chain, its `subject` (e.g. ``consent:<uuid>``), and carries a per-subject `seq`
(1, 2, 3, ...). Its hash is::

    hash = sha256_hex(JCS({
        "actor": <str>, "kind": <str>, "payload": <JSON object>, "prev_hash": <64 hex>,
        "recorded_at": "YYYY-MM-DDTHH:MM:SS.ffffffZ", "seq": <int>, "subject": <str>,
    }))

where JCS is RFC 8785 (keys sorted, no whitespace, ES6 number form, UTF-8), `prev_hash` is the previous event's
`hash` in the same subject (64 zeros for seq 1), and `recorded_at` is the event time in UTC as RFC 3339 with exactly
six fractional digits and a literal ``Z``. The stored `payload` column holds the payload's JCS text, which is embedded
verbatim: a single changed byte changes the hash.

Merkle tree (checkpoints)
-------------------------
The leaves are the events of one checkpoint in ascending global id; RFC 6962 hashing::

    leaf = sha256(0x00 || bytes.fromhex(event.hash))
    node = sha256(0x01 || left || right)

Odd-node rule (RFC 6962's MTH): a tree of n leaves splits at k, the largest power of two below n; the left subtree
holds the first k leaves. Equivalently, a node without a sibling is promoted unchanged to the next level, never
duplicated (duplicating it, as Bitcoin does, would let two different leaf lists share a root).

Checkpoint
----------
The signed body is::

    JCS({"created_at": <RFC 3339 as above>, "event_count": <int>, "first_event_id": <int>, "key_id": <16 hex>,
         "last_event_id": <int>, "merkle_root": <64 hex>, "prev_checkpoint_hash": <64 hex, zeros for the first>})

`signature` is Ed25519 over those bytes (hex), `hash` = sha256_hex(body) and the next checkpoint's
`prev_checkpoint_hash`. `key_id` = first 16 hex of sha256(raw 32-byte Ed25519 public key).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import rfc8785

ZERO_HASH = "0" * 64
HASH_HEX_LENGTH = 64


class InvalidPayloadError(ValueError):
    """The payload cannot be encoded as canonical JSON (NaN/infinity, non-string keys, huge integers, ...)."""


# ---------------------------------------------------------------------------------------------------------------------
# Canonical encoding and event hashes
# ---------------------------------------------------------------------------------------------------------------------


# C-accelerated JSON string escaping that escapes exactly what JCS escapes: the quote, the backslash and controls
# below U+0020 (short forms or lowercase \u00xx), nothing else. tests/audit/test_hash_rules.py proves the encoder
# below equal to rfc8785.dumps on random and hostile values.
_jcs_string: Callable[[str], str] = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)


def canonical_payload(payload: Mapping[str, Any]) -> str:
    """The JCS text of `payload`; raises InvalidPayloadError for anything JCS cannot represent."""
    if not isinstance(payload, Mapping):
        raise InvalidPayloadError(f"A ledger payload must be a JSON object (a mapping), not {type(payload).__name__}.")
    try:
        if _is_plain(payload, 0):
            text = "".join(_plain_json(payload, 0))
        else:
            parts: list[str] = []
            _canonical_into(payload, parts)
            text = "".join(parts)
        text.encode("utf-8")  # lone surrogates cannot be encoded, so they are refused here
    except rfc8785.CanonicalizationError as exc:
        raise InvalidPayloadError(f"The payload is not canonical-JSON-able: {exc}.") from exc
    except (TypeError, ValueError) as exc:
        raise InvalidPayloadError(f"The payload is not JSON-able: {exc}.") from exc
    return text


# The fast path: the C encoder of the json module, used only where its output is provably the JCS text (see
# _is_plain). Everything else goes through _canonical_into. tests/audit/test_hash_rules.py checks both against
# rfc8785.dumps on random values, on either side of every boundary below.
_PLAIN_JSON = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False, check_circular=False
)
# JSONEncoder.encode builds a new C encoder on every call; building it once saves a third of the time. It is the
# encoder JSONEncoder.encode itself uses (markers=None: no cycle check, _is_plain's depth limit covers that).
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_plain_json: Callable[..., Iterable[str]] = (
    _c_make_encoder(None, None, _jcs_string, None, ":", ",", True, False, False)
    if _c_make_encoder is not None and _jcs_string is getattr(json.encoder, "c_encode_basestring", None)
    else _PLAIN_JSON.iterencode
)
_SAFE_INT = 2**53
_PLAIN_DEPTH = 32  # deeper payloads (or cycles) take the slow path, which has Python's own recursion limit
_SUPPLEMENTARY = "\U00010000"


def _is_plain(value: Any, depth: int) -> bool:
    """True when the json module's C encoder (`_plain_json`) writes exactly the JCS text of `value`.

    - str, bool, None: both escape exactly the quote, the backslash and controls below U+0020 (the same C function
      `_jcs_string` uses), and write true/false/null.
    - int within +-2^53 (JCS's limit): both write the decimal digits. Exact types only, so no int subclass with its
      own __repr__ gets in.
    - float: both start from repr(), the shortest round-trip digits; JCS only rewrites repr's exponent form
      (|x| < 1e-4 or >= 1e16), a trailing ".0" (integral values) and -0.0/NaN/infinity, all excluded here.
    - dict with str keys made of BMP characters only: JCS sorts keys by UTF-16 code units, which for BMP characters
      are the code points Python sorts by (they differ only when a key holds a character beyond U+FFFF).
    - list and tuple: both write a JSON array.
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -_SAFE_INT < value < _SAFE_INT
    if kind is float:
        return 1e-4 <= abs(value) < 1e16 and not value.is_integer()
    if depth > _PLAIN_DEPTH:
        return False
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (key.isascii() or max(key) < _SUPPLEMENTARY):
                return False
            if not _is_plain(item, depth + 1):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:  # noqa: SIM110 - a plain loop is faster than all() over a generator, on a hot path
            if not _is_plain(item, depth + 1):
                return False
        return True
    return False


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _canonical_into(value: Any, out: list[str]) -> None:
    """RFC 8785 serialisation, several times faster than rfc8785.dumps; floats are delegated to rfc8785."""
    if isinstance(value, str):
        out.append(_jcs_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if not -(2**53) < value < 2**53:
            rfc8785.dumps(value)  # raises IntegerDomainError with its own message
        out.append(str(int(value)))
    elif isinstance(value, float):
        out.append(rfc8785.dumps(value).decode("ascii"))
    elif isinstance(value, Mapping):
        keys = list(value)
        for key in keys:
            if not isinstance(key, str):
                raise InvalidPayloadError(f"object keys must be strings, not {type(key).__name__} ({key!r})")
        # JCS sorts keys by UTF-16 code units, which differs from code point order only beyond U+FFFF.
        keys.sort(key=None if all(k.isascii() for k in keys) else _utf16_key)
        out.append("{")
        for index, key in enumerate(keys):
            if index:
                out.append(",")
            out.append(_jcs_string(key))
            out.append(":")
            _canonical_into(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _canonical_into(item, out)
        out.append("]")
    else:
        raise InvalidPayloadError(f"{type(value).__name__} values are not JSON (turn them into strings first)")


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with exactly six fractional digits and a `Z`, the one form that is hashed."""
    if moment.tzinfo is None:
        raise ValueError("Ledger timestamps must be timezone-aware.")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def event_hash_input(
    *, subject: str, seq: int, kind: str, actor: str, payload_json: str, prev_hash: str, recorded_at: str
) -> bytes:
    """The JCS bytes of an event's envelope, with the payload's canonical text embedded verbatim.

    Assembled by hand rather than through rfc8785.dumps because verification must run at >100k events/s; the keys
    are ASCII and listed here in JCS (sorted) order.
    """
    text = (
        f'{{"actor":{_jcs_string(actor)},"kind":{_jcs_string(kind)},"payload":{payload_json},'
        f'"prev_hash":{_jcs_string(prev_hash)},"recorded_at":{_jcs_string(recorded_at)},"seq":{int(seq)},'
        f'"subject":{_jcs_string(subject)}}}'
    )
    return text.encode("utf-8")


def event_hash_fragments(
    *, subject: str, kind: str, actor: str, payload_json: str, recorded_at: str
) -> tuple[str, str, str]:
    """The envelope split around the two values an appender learns only under the chain lock, prev_hash and seq.

    For a hex `prev_hash` (every stored hash is), ``before_prev + prev_hash + before_seq + str(seq) + after_seq`` is
    exactly `event_hash_input(...)` as text. The database append function (migration audit/0003) hashes that
    concatenation, so all JSON escaping stays in Python, in this one place.
    """
    return (
        f'{{"actor":{_jcs_string(actor)},"kind":{_jcs_string(kind)},"payload":{payload_json},"prev_hash":"',
        f'","recorded_at":{_jcs_string(recorded_at)},"seq":',
        f',"subject":{_jcs_string(subject)}}}',
    )


def compute_event_hash(
    *, subject: str, seq: int, kind: str, actor: str, payload_json: str, prev_hash: str, recorded_at: str
) -> str:
    return hashlib.sha256(
        event_hash_input(
            subject=subject,
            seq=seq,
            kind=kind,
            actor=actor,
            payload_json=payload_json,
            prev_hash=prev_hash,
            recorded_at=recorded_at,
        )
    ).hexdigest()


# ---------------------------------------------------------------------------------------------------------------------
# Merkle trees (RFC 6962)
# ---------------------------------------------------------------------------------------------------------------------


def leaf_hash(event_hash_hex: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(event_hash_hex)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _levels(leaves: list[bytes]) -> list[list[bytes]]:
    """Every level of the tree bottom-up; a node without a sibling is promoted unchanged (same root as RFC 6962)."""
    levels = [leaves]
    while len(levels[-1]) > 1:
        current = levels[-1]
        nxt = [node_hash(current[i], current[i + 1]) for i in range(0, len(current) - 1, 2)]
        if len(current) % 2:
            nxt.append(current[-1])
        levels.append(nxt)
    return levels


def merkle_root(event_hashes: Sequence[str]) -> str:
    if not event_hashes:
        raise ValueError("A Merkle tree needs at least one leaf.")
    return _levels([leaf_hash(h) for h in event_hashes])[-1][0].hex()


def inclusion_path(event_hashes: Sequence[str], index: int) -> list[dict[str, str]]:
    """The audit path of leaf `index`: sibling hashes bottom-up, each with the side it sits on."""
    if not 0 <= index < len(event_hashes):
        raise IndexError(f"Leaf index {index} is outside a tree of {len(event_hashes)} leaves.")
    path: list[dict[str, str]] = []
    position = index
    for level in _levels([leaf_hash(h) for h in event_hashes])[:-1]:
        sibling = position ^ 1
        if sibling < len(level):
            path.append({"side": "left" if sibling < position else "right", "hash": level[sibling].hex()})
        position //= 2
    return path


def verify_inclusion_proof(*, event_hash: str, path: Sequence[Mapping[str, str]], root: str) -> bool:
    """True when `event_hash` with the sibling `path` folds up to `root`. Pure: needs nothing but the proof."""
    try:
        current = leaf_hash(event_hash)
        for step in path:
            sibling = bytes.fromhex(step["hash"])
            if step["side"] == "left":
                current = node_hash(sibling, current)
            elif step["side"] == "right":
                current = node_hash(current, sibling)
            else:
                return False
    except (KeyError, ValueError, TypeError):
        return False
    return current.hex() == root


# ---------------------------------------------------------------------------------------------------------------------
# Checkpoints and keys
# ---------------------------------------------------------------------------------------------------------------------


def key_id_for(raw_public_key: bytes) -> str:
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


def checkpoint_body(
    *,
    first_event_id: int,
    last_event_id: int,
    event_count: int,
    merkle_root: str,
    prev_checkpoint_hash: str,
    key_id: str,
    created_at: str,
) -> bytes:
    return rfc8785.dumps(
        {
            "created_at": created_at,
            "event_count": event_count,
            "first_event_id": first_event_id,
            "key_id": key_id,
            "last_event_id": last_event_id,
            "merkle_root": merkle_root,
            "prev_checkpoint_hash": prev_checkpoint_hash,
        }
    )


def checkpoint_body_of(row: Mapping[str, Any]) -> bytes:
    return checkpoint_body(
        first_event_id=int(row["first_event_id"]),
        last_event_id=int(row["last_event_id"]),
        event_count=int(row["event_count"]),
        merkle_root=str(row["merkle_root"]),
        prev_checkpoint_hash=str(row["prev_checkpoint_hash"]),
        key_id=str(row["key_id"]),
        created_at=_as_timestamp(row["created_at"]),
    )


def verify_signature(*, raw_public_key: bytes, signature_hex: str, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(raw_public_key).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------------------------------------------------
# The verifier
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the ledger. `where` is "event" or "checkpoint"; `id` is that row's id."""

    where: str
    id: int
    message: str
    subject: str | None = None
    seq: int | None = None

    def describe(self) -> str:
        if self.where == "event":
            return f"event {self.id} (subject {self.subject}, seq {self.seq}): {self.message}"
        return f"checkpoint {self.id}: {self.message}"


@dataclass
class Report:
    events_checked: int = 0
    subjects: int = 0
    checkpoints_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _as_timestamp(value: Any) -> str:
    return format_timestamp(value) if isinstance(value, datetime) else str(value)


def verify_events(events: Iterable[Mapping[str, Any]], report: Report) -> dict[int, str]:
    """Check every chain; `events` must come in ascending id. Returns {event id: stored hash} for the checkpoints.

    Each event row needs: id, subject, seq, kind, actor, payload (the stored canonical text), prev_hash, hash,
    recorded_at (datetime or the RFC 3339 string).

    This is the hot loop of `verify_ledger` (>= 100,000 events/s is the target): the envelope is one f-string around
    the stored payload text (never re-canonicalised), names are bound locally, and an event time is formatted once
    for the run of events that share it (a batch is recorded at one instant).
    """
    heads: dict[str, tuple[int, str]] = {}
    hashes: dict[int, str] = {}
    last_id = 0
    problems = report.problems
    checked = 0
    sha256 = hashlib.sha256
    escape = _jcs_string
    zero = (0, ZERO_HASH)
    last_time: Any = None
    stamp = ""
    for row in events:
        event_id, subject, seq = int(row["id"]), str(row["subject"]), int(row["seq"])
        stored = str(row["hash"])
        prev_hash = row["prev_hash"]
        checked += 1
        hashes[event_id] = stored
        expected_seq, expected_prev = heads.get(subject, zero)
        expected_seq += 1
        heads[subject] = (seq, stored)

        moment = row["recorded_at"]
        try:
            if moment is not last_time and moment != last_time:
                last_time = None  # stays unset if formatting fails
                stamp = _as_timestamp(moment)
                last_time = moment
            envelope = (
                f'{{"actor":{escape(str(row["actor"]))},"kind":{escape(str(row["kind"]))},'
                f'"payload":{row["payload"]},"prev_hash":{escape(str(prev_hash))},"recorded_at":{escape(stamp)},'
                f'"seq":{seq},"subject":{escape(subject)}}}'
            ).encode()
        except (ValueError, UnicodeError) as exc:
            encoding_error: str | None = f"cannot be encoded for hashing ({exc})"
            recomputed: str | None = None  # equal to no stored hash, not even a tampered empty one
        else:
            encoding_error = None
            recomputed = sha256(envelope).hexdigest()

        if event_id > last_id and seq == expected_seq and prev_hash == expected_prev and recomputed == stored:
            last_id = event_id
            continue

        # Something is wrong with this event: name every problem (rare, so clarity over speed from here on).
        found: list[str] = []
        if event_id <= last_id:
            found.append(f"events are not in ascending id order (after {last_id})")
        last_id = event_id
        if seq > expected_seq:
            found.append(f"seq {seq} follows seq {expected_seq - 1}: {seq - expected_seq} event(s) missing before it")
        elif seq < expected_seq:
            found.append(f"seq {seq} repeats or goes back (expected {expected_seq})")
        if prev_hash != expected_prev:
            found.append("prev_hash does not match the hash of the previous event in this subject")
        if encoding_error is not None:
            found.append(encoding_error)
        elif recomputed != stored:
            found.append("stored hash does not match its content (subject, seq, kind, actor, payload, time)")
        problems.extend(Problem("event", event_id, message, subject, seq) for message in found)
    report.events_checked += checked
    report.subjects = len(heads)
    return hashes


def verify_checkpoints(
    checkpoints: Iterable[Mapping[str, Any]],
    event_hashes: Mapping[int, str],
    public_keys: Mapping[str, bytes],
    report: Report,
) -> None:
    """Check each checkpoint (ascending id): its Merkle root, count, signature, and the checkpoint chain.

    `event_hashes` maps every event id to its stored hash; `public_keys` maps key id to raw Ed25519 public key bytes.
    """
    ids = sorted(event_hashes)
    prev_hash = ZERO_HASH
    prev_last_id = 0
    import bisect

    for row in checkpoints:
        checkpoint_id = int(row["id"])
        report.checkpoints_checked += 1

        def problem(message: str, *, _id: int = checkpoint_id) -> None:
            report.problems.append(Problem("checkpoint", _id, message))

        first_id, last_id = int(row["first_event_id"]), int(row["last_event_id"])
        if row["prev_checkpoint_hash"] != prev_hash:
            problem("prev_checkpoint_hash does not match the previous checkpoint (the checkpoint chain is broken)")
        if first_id <= prev_last_id:
            problem(f"covers events from {first_id}, overlapping the previous checkpoint (up to {prev_last_id})")
        covered = ids[bisect.bisect_left(ids, first_id) : bisect.bisect_right(ids, last_id)]
        if len(covered) != int(row["event_count"]):
            problem(f"claims {row['event_count']} events in {first_id}..{last_id} but the ledger holds {len(covered)}")
        elif not covered or merkle_root([event_hashes[i] for i in covered]) != row["merkle_root"]:
            problem("Merkle root does not match the events it covers")
        body = checkpoint_body_of(row)
        if hashlib.sha256(body).hexdigest() != row["hash"]:
            problem("stored checkpoint hash does not match its content")
        key = public_keys.get(str(row["key_id"]))
        if key is None:
            problem(f"signed with unknown key id {row['key_id']} (no such public key)")
        elif not verify_signature(raw_public_key=key, signature_hex=str(row["signature"]), message=body):
            problem(f"signature does not verify with key {row['key_id']}")
        prev_hash = str(row["hash"])
        prev_last_id = last_id


def verify_ledger(
    *,
    events: Iterable[Mapping[str, Any]],
    checkpoints: Iterable[Mapping[str, Any]],
    public_keys: Mapping[str, bytes],
) -> Report:
    """Verify the chains, then the checkpoints. Problems come in that order: the first event problem is the first
    broken event by global id."""
    report = Report()
    hashes = verify_events(events, report)
    verify_checkpoints(checkpoints, hashes, public_keys, report)
    return report

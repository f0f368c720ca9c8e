"""The documented hash rules (docs/ledger.md), checked against the reference RFC 8785 and RFC 6962 definitions."""

from __future__ import annotations

import hashlib
import math
import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import rfc8785

from audit.verify import (
    _is_plain,
    canonical_payload,
    event_hash_fragments,
    event_hash_input,
    format_timestamp,
    inclusion_path,
    leaf_hash,
    merkle_root,
    node_hash,
    verify_inclusion_proof,
)

HOSTILE = [
    "plain",
    'quote" back\\slash',
    "ctl\x00\x01\x1f\x7f",
    "tab\tnl\nret\r\b\f",
    "中文 émoji 🎥",
    "\u2028\u2029",
    "/",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_fast_envelope_equals_rfc8785_of_the_documented_object(text: str) -> None:
    payload = {"z": [1, 2.5, None, True], "a": {"text": text, "n": -0.0}, text: 1e21}
    payload_json = canonical_payload(payload)
    fields = {
        "subject": f"stream:{text}",
        "seq": 12,
        "kind": f"kind.{text}",
        "actor": f"worker:{text}",
        "prev_hash": "ab" * 32,
        "recorded_at": "2025-03-04T05:06:07.000008Z",
    }

    reference = rfc8785.dumps({**fields, "payload": payload})

    assert event_hash_input(**fields, payload_json=payload_json) == reference


def test_timestamps_are_utc_with_microseconds() -> None:
    moment = datetime(2025, 1, 2, 11, 4, 5, tzinfo=timezone(timedelta(hours=8)))

    assert format_timestamp(moment) == "2025-01-02T03:04:05.000000Z"
    assert format_timestamp(datetime(2025, 1, 2, 3, 4, 5, 7, tzinfo=UTC)) == "2025-01-02T03:04:05.000007Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_timestamp(datetime(2025, 1, 2))  # noqa: DTZ001 - the point of the test


def _rfc6962_mth(leaves: list[bytes]) -> bytes:
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(_rfc6962_mth(leaves[:k]), _rfc6962_mth(leaves[k:]))


def _hashes(n: int) -> list[str]:
    return [hashlib.sha256(str(i).encode()).hexdigest() for i in range(n)]


@pytest.mark.parametrize("n", [*range(1, 18), 100, 257])
def test_the_merkle_root_is_rfc6962s(n: int) -> None:
    hashes = _hashes(n)

    assert merkle_root(hashes) == _rfc6962_mth([leaf_hash(h) for h in hashes]).hex()


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 33])
def test_every_leaf_has_a_proof_that_verifies(n: int) -> None:
    hashes = _hashes(n)
    root = merkle_root(hashes)

    for index, event_hash in enumerate(hashes):
        assert verify_inclusion_proof(event_hash=event_hash, path=inclusion_path(hashes, index), root=root)


def test_a_proof_fails_for_another_leaf_or_a_tampered_path() -> None:
    hashes = _hashes(9)
    root = merkle_root(hashes)
    path = inclusion_path(hashes, 4)

    assert not verify_inclusion_proof(event_hash=hashes[5], path=path, root=root)
    tampered = [dict(step) for step in path]
    tampered[0]["hash"] = "00" * 32
    assert not verify_inclusion_proof(event_hash=hashes[4], path=tampered, root=root)
    flipped = [{**step, "side": "left" if step["side"] == "right" else "right"} for step in path]
    assert not verify_inclusion_proof(event_hash=hashes[4], path=flipped, root=root)
    assert not verify_inclusion_proof(event_hash=hashes[4], path=[{"side": "up", "hash": "00"}], root=root)


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(9 if depth < 3 else 6)
    if choice == 0:
        return rng.choice([None, True, False])
    if choice == 1:
        return rng.randint(-(2**53) + 1, 2**53 - 1)
    if choice == 2:
        return rng.choice(
            [0.0, -0.0, 1.0, 0.1, 1e-7, 1e21, 1e16, 123.456, -5e-324, 1.7976931348623157e308, rng.random()]
        )
    if choice in (3, 4, 5):
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(6)))
    if choice in (6, 7):
        return {
            "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(4))): _random_value(rng, depth + 1)
            for _ in range(rng.randrange(5))
        }
    return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]


ALPHABET = ["a", "B", "z", '"', "\\", "\n", "\x00", "\x1f", "\x7f", "é", "中", "\ue000", "\uffff", "😀", "𝄞", "\u2028"]


def test_the_payload_encoder_equals_rfc8785_on_random_values() -> None:
    rng = random.Random(8785)
    for _ in range(3000):
        payload = {"k": _random_value(rng), "😀": _random_value(rng), "\ue000": 1, "l": [_random_value(rng)]}
        assert canonical_payload(payload) == rfc8785.dumps(payload).decode("utf-8")


@pytest.mark.parametrize("text", HOSTILE)
def test_the_envelope_fragments_reassemble_into_the_envelope(text: str) -> None:
    fields = {
        "subject": f"stream:{text}",
        "kind": f"kind.{text}",
        "actor": f"worker:{text}",
        "payload_json": canonical_payload({"t": text}),
        "recorded_at": "2025-03-04T05:06:07.000008Z",
    }
    before_prev, before_seq, after_seq = event_hash_fragments(**fields)

    for seq, prev_hash in [(1, "0" * 64), (987654321, "ab" * 32)]:
        spliced = f"{before_prev}{prev_hash}{before_seq}{seq}{after_seq}".encode()
        assert spliced == event_hash_input(**fields, seq=seq, prev_hash=prev_hash)


# Floats on either side of where the fast path stops trusting repr(): the exponent form below 1e-4 and from 1e16,
# integral values (repr "5.0", JCS "5"), zeros, and the largest and smallest magnitudes.
BOUNDARY_FLOATS = [
    1e-4,
    math.nextafter(1e-4, 0),
    math.nextafter(1e-4, 1),
    1e16,
    math.nextafter(1e16, 0),
    1e21,
    1e-7,
    5.0,
    -5.0,
    0.0,
    -0.0,
    0.1,
    -0.85,
    1 / 3,
    2.0**52 + 0.5,
    4503599627370495.5,
    123456789.12345679,
    5e-324,
    1.7976931348623157e308,
]
BOUNDARY_INTS = [0, -1, 2**53 - 1, -(2**53) + 1, 2**31, 10**15]
# Keys whose code point order differs from JCS's UTF-16 order (astral versus private-use characters) must take
# the slow path; other non-ASCII keys may take the fast one.
KEYS = ["a", "B", "", "é", "中", "\ue000", "\uffff", "😀", "𝄞", "a😀", "a\ue000", '"', "\\", "\n", "\x7f", "\u2028"]


def _plain_value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(8 if depth < 4 else 5)
    if choice == 0:
        return rng.choice([None, True, False, *BOUNDARY_INTS, rng.randint(-(2**53) + 1, 2**53 - 1)])
    if choice == 1:
        return rng.choice([*BOUNDARY_FLOATS, rng.uniform(-1e6, 1e6), rng.random() * 10 ** rng.randint(-8, 22)])
    if choice in (2, 3, 4):
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(6)))
    if choice in (5, 6):
        return {rng.choice(KEYS) + rng.choice(KEYS): _plain_value(rng, depth + 1) for _ in range(rng.randrange(5))}
    return rng.choice([list, tuple])(_plain_value(rng, depth + 1) for _ in range(rng.randrange(4)))


def test_the_fast_payload_path_equals_rfc8785_on_random_values() -> None:
    rng = random.Random(2**53)
    fast = 0
    for _ in range(5000):
        payload = {rng.choice(KEYS): _plain_value(rng) for _ in range(rng.randrange(1, 5))}
        fast += _is_plain(payload, 0)
        assert canonical_payload(payload) == rfc8785.dumps(payload).decode("utf-8"), payload
    # Both paths were exercised, each many times.
    assert 1000 < fast < 4000


@pytest.mark.parametrize("value", BOUNDARY_FLOATS + BOUNDARY_INTS)
def test_each_boundary_number_encodes_as_rfc8785_does(value: float) -> None:
    for payload in ({"v": value}, {"v": [value, {"w": value}]}):
        assert canonical_payload(payload) == rfc8785.dumps(payload).decode("utf-8")


def test_the_fast_path_takes_ordinary_payloads_and_refuses_what_it_cannot_prove() -> None:
    assert _is_plain({"grant": "8f14e45f", "n": 3, "score": 0.85, "tags": ["a", "é"], "nested": {"ok": None}}, 0)
    assert _is_plain({"中文": 1, "\ue000": 2}, 0)
    for unproven in (
        {"v": 5.0},
        {"v": 1e-5},
        {"v": 1e16},
        {"v": -0.0},
        {"v": float("nan")},
        {"v": 2**53},
        {"😀": 1},
        {1: "x"},
        {"v": {"deep": [1, {"x": (2, 3.5, "😀")}], "x": {"y": object()}}},
    ):
        assert not _is_plain(unproven, 0), unproven

    class Subclass(int):
        def __repr__(self) -> str:
            return "not a number"

    assert not _is_plain({"v": Subclass(3)}, 0)
    assert canonical_payload({"v": Subclass(3)}) == '{"v":3}'

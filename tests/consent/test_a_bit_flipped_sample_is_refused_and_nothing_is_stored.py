"""Bit-flipped sample, and a sample with data appended after the video: every packet is decoded at upload, the
upload is refused as `undecodable`, and nothing of it remains (no row, no ciphertext in the storage)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from consent.models import VaultObject
from tests.consent.statements import sample_video, upload_sample

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def sample() -> bytes:
    return sample_video()


def _flipped(data: bytes) -> bytes:
    out = bytearray(data)
    rng = np.random.default_rng(11)
    for at in rng.integers(len(data) // 3, len(data), size=60):
        out[at] ^= 1 << int(rng.integers(8))
    return bytes(out)


@pytest.mark.parametrize(
    "damage",
    [_flipped, lambda data: data + b"\x00" * 8192, lambda data: data + b"#!/bin/sh\necho hidden\n" * 50],
    ids=["bit-flipped", "trailing-zeros", "trailing-script"],
)
def test_a_damaged_sample_is_refused_and_nothing_is_stored(
    personas: dict[str, Any], client: Any, sample: bytes, consent_environment: dict[str, Any], damage: Any
) -> None:
    client.force_login(personas["iris"])

    response = upload_sample(client, damage(sample))

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "undecodable"
    assert not VaultObject.objects.exists()
    media = consent_environment["media"]
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_undamaged_sample_is_stored(personas: dict[str, Any], client: Any, sample: bytes) -> None:
    client.force_login(personas["iris"])

    assert upload_sample(client, sample).status_code == 201
    assert VaultObject.objects.filter(kind="sample").count() == 1

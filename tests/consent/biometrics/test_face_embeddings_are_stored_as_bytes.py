from __future__ import annotations

import numpy as np
import pytest

from consent.biometrics.face import embeddings_from_bytes, embeddings_to_bytes


def test_embeddings_round_trip_through_bytes() -> None:
    rng = np.random.default_rng(1)
    embeddings = [rng.normal(size=128).astype(np.float32) for _ in range(3)]
    blob = embeddings_to_bytes(embeddings)
    assert len(blob) == 3 * 128 * 4
    restored = embeddings_from_bytes(blob)
    assert all(np.array_equal(a, b) for a, b in zip(embeddings, restored, strict=True))
    assert embeddings_from_bytes(embeddings_to_bytes([])) == []


def test_a_blob_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="128-D"):
        embeddings_from_bytes(b"\x00" * 100)

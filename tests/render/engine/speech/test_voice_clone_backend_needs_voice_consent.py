from __future__ import annotations

from collections.abc import Iterator

import pytest

from render.engine.speech import (
    BackendUnavailable,
    Speech,
    VoiceConsentRequired,
    backend_names,
    register_backend,
    synthesize,
    unregister_backend,
)
from render.engine.speech.espeak_backend import EspeakBackend


class _CloneSlot(EspeakBackend):
    """Stands in for a voice-clone model (none ships offline): real audio, but flagged as imitating a person."""

    name = "clone-under-test"
    requires_voice_consent = True

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        self.calls += 1
        return super().synthesize(text, language=language, voice=voice, speed=speed)

    calls = 0


@pytest.fixture
def clone() -> Iterator[_CloneSlot]:
    backend = _CloneSlot()
    register_backend(backend)
    yield backend
    unregister_backend(backend.name)


def test_it_refuses_a_clone_backend_without_voice_consent(clone: _CloneSlot) -> None:
    with pytest.raises(VoiceConsentRequired, match="clone-under-test"):
        synthesize("你好", language="zh", backend=clone.name)
    assert clone.calls == 0


def test_it_refuses_anything_but_an_explicit_true(clone: _CloneSlot) -> None:
    with pytest.raises(VoiceConsentRequired):
        synthesize("你好", language="zh", backend=clone.name, voice_consent_granted="yes")  # type: ignore[arg-type]
    assert clone.calls == 0


def test_it_uses_the_clone_backend_when_consent_is_proven(clone: _CloneSlot) -> None:
    speech = synthesize("你好", language="zh", backend=clone.name, voice_consent_granted=True)
    assert clone.calls == 1
    assert speech.duration_s > 0.2


def test_the_shipped_backends_need_no_voice_consent_and_no_clone_ships() -> None:
    assert set(backend_names()) >= {"espeak", "piper"}
    assert "clone-under-test" not in backend_names()
    assert synthesize("你好", language="zh").backend == "espeak"


def test_it_names_an_unknown_backend() -> None:
    with pytest.raises(BackendUnavailable, match="no TTS backend named 'nope'"):
        synthesize("hello", language="en", backend="nope")


def test_it_refuses_to_register_two_backends_under_one_name(clone: _CloneSlot) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_backend(_CloneSlot())

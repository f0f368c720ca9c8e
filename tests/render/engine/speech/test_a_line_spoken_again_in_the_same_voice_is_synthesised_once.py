"""A live playlist loops its approved lines all day, and a script is rendered as a stream and again as a short video:
the engine keeps the speech it made per process, so the same line in the same voice, rate and pitch is synthesised
once. Another voice, rate or pitch is synthesised anew; a voice that imitates a real person is asked every time (its
gate decides per utterance); a backend registered again under the same name is asked afresh; the shared samples are
read-only; the kept speech stays within its byte limit, the least recently used going first."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from render.engine.speech import Speech, register_backend, synthesize, unregister_backend
from render.engine.speech import backends as speech_backends
from render.engine.speech.espeak_backend import EspeakBackend

LINE = "Welcome back, the mug is still on offer."


class _Counting(EspeakBackend):
    """espeak-ng itself (real audio), counting how often it is asked."""

    name = "counting-under-test"

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        self.calls += 1
        return super().synthesize(text, language=language, voice=voice, speed=speed)


class _Imitating(_Counting):
    name = "imitating-under-test"
    requires_voice_consent = True


@pytest.fixture
def counting() -> Iterator[_Counting]:
    backend = _Counting()
    register_backend(backend)
    yield backend
    unregister_backend(backend.name)


def test_the_same_line_in_the_same_voice_is_synthesised_once(counting: _Counting) -> None:
    first = synthesize(LINE, language="en", backend=counting.name)
    again = synthesize(LINE, language="en", backend=counting.name)
    assert counting.calls == 1
    assert np.array_equal(first.pcm, again.pcm)
    assert first.phonemes == again.phonemes
    assert again.visemes == first.visemes

    with pytest.raises(ValueError, match="read-only"):
        again.pcm[:] = 0.0  # shared speech: no caller can change what the next one hears


def test_another_rate_pitch_or_language_is_synthesised_anew(counting: _Counting) -> None:
    synthesize(LINE, language="en", backend=counting.name)
    synthesize(LINE, language="en", backend=counting.name, speed=1.1)
    synthesize(LINE, language="en", backend=counting.name, pitch=0.95)
    synthesize("欢迎回来，杯子还在优惠。", language="zh", backend=counting.name)
    assert counting.calls == 4


def test_a_voice_that_imitates_a_person_is_asked_every_time() -> None:
    imitating = _Imitating()
    register_backend(imitating)
    try:
        for _ in range(2):
            synthesize(LINE, language="en", backend=imitating.name, voice_consent_granted=True)
    finally:
        unregister_backend(imitating.name)
    assert imitating.calls == 2


def test_a_backend_registered_again_is_asked_afresh(counting: _Counting) -> None:
    synthesize(LINE, language="en", backend=counting.name)
    replacement = _Counting()
    register_backend(replacement, replace=True)
    synthesize(LINE, language="en", backend=counting.name)
    assert (counting.calls, replacement.calls) == (1, 1)


def test_the_kept_speech_stays_within_its_limit_least_recently_used_first(
    counting: _Counting, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = synthesize("One line of the loop.", language="en", backend=counting.name)
    # Room for about two such lines: a third pushes out the one used least recently.
    monkeypatch.setattr(speech_backends._CACHE, "limit_bytes", int(one.pcm.nbytes * 2.5))
    speech_backends.clear_speech_cache()
    synthesize("One line of the loop.", language="en", backend=counting.name)
    synthesize("Two lines of the loop.", language="en", backend=counting.name)
    synthesize("One line of the loop.", language="en", backend=counting.name)  # used again: now the most recent
    synthesize("Three lines of the loop.", language="en", backend=counting.name)  # "Two" goes
    calls = counting.calls
    synthesize("One line of the loop.", language="en", backend=counting.name)
    assert counting.calls == calls
    synthesize("Two lines of the loop.", language="en", backend=counting.name)
    assert counting.calls == calls + 1
    assert speech_backends._CACHE._bytes <= speech_backends._CACHE.limit_bytes

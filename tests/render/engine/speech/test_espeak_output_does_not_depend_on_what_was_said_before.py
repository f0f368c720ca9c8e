"""The same text, voice and speed give the same audio and timings whatever the process said before: a fresh worker
that re-makes a stream's plan to resume it must get exactly the plan the first worker had."""

from __future__ import annotations

import numpy as np

from render.engine.speech import clear_speech_cache, synthesize


def test_an_utterance_is_identical_before_and_after_other_speech() -> None:
    text = "Welcome to the stream, tap follow!"
    first = synthesize(text, language="en")
    synthesize("中文测试一下，说点别的。", language="zh", speed=0.6)
    synthesize("Something else entirely, faster.", language="en", speed=1.8)
    clear_speech_cache()  # the engine keeps speech per process: ask espeak-ng itself again, as a fresh worker would
    again = synthesize(text, language="en")

    assert np.array_equal(first.pcm, again.pcm)
    assert first.phonemes == again.phonemes

from __future__ import annotations

from render.engine.speech import synthesize


def test_it_reads_english_with_english_phonemes() -> None:
    speech = synthesize("This livestream is AI-generated.", language="en")
    symbols = [unit.symbol for unit in speech.phonemes if unit.symbol != "sil"]
    assert speech.voice == "en-us"
    # "This" = ð ɪ s; "live" has the diphthong aɪ; "generated" has dʒ.
    assert symbols[:3] == ["ð", "ɪ", "s"]
    assert "aɪ" in symbols
    assert "dʒ" in symbols
    assert "DIs" in speech.transcription


def test_its_phonemes_tile_the_audio_in_order() -> None:
    speech = synthesize("Tap follow, then check the little yellow cart below.", language="en-US")
    assert speech.phonemes[0].start_s == 0.0
    assert abs(speech.phonemes[-1].end_s - speech.duration_s) < 1e-9
    assert all(a.end_s == b.start_s for a, b in zip(speech.phonemes, speech.phonemes[1:], strict=False))
    assert all(unit.end_s > unit.start_s for unit in speech.phonemes)


def test_the_english_speech_carries_visemes_for_the_lips() -> None:
    speech = synthesize("Buy more.", language="en")
    visemes = [unit.symbol for unit in speech.visemes]
    # b and m close the lips; "more" rounds them.
    assert visemes.count("PP") >= 2
    assert "O" in visemes or "U" in visemes

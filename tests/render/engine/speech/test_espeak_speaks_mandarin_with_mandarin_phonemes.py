from __future__ import annotations

import re

import numpy as np

from render.engine.speech import synthesize
from render.engine.speech.espeak_backend import espeak_version, mandarin_voice_for


def test_it_picks_the_pinyin_voice_on_debian_1_51_and_plain_cmn_from_1_52() -> None:
    assert mandarin_voice_for("1.51") == "cmn-latn-pinyin"
    assert mandarin_voice_for("1.51-dev") == "cmn-latn-pinyin"
    assert mandarin_voice_for("1.52.0") == "cmn"
    assert mandarin_voice_for("2.0") == "cmn"


def test_it_uses_the_voice_that_matches_the_installed_library() -> None:
    speech = synthesize("欢迎来到直播间", language="zh")
    assert speech.voice == mandarin_voice_for(espeak_version())
    assert speech.backend == "espeak"


def test_it_reads_chinese_as_tone_marked_mandarin_syllables_not_english() -> None:
    speech = synthesize("本直播由人工智能生成", language="zh-CN")
    # espeak's mnemonics: one syllable per character with a Mandarin tone contour (55, 35, 214, 51, 11).
    syllables = re.findall(r"'[^_|\s]*?(55|35|214|51|11)", speech.transcription)
    assert len(syllables) == 10, speech.transcription
    assert "(en)" not in speech.transcription
    symbols = {unit.symbol for unit in speech.phonemes}
    # 直/智 (zh) and 成 (ch) are retroflex affricates; 人 (r) the retroflex approximant.
    assert {"ts.", "ts.h"} <= symbols or {"ʈʂ", "ʈʂʰ"} <= symbols, symbols
    assert "ʐ" in symbols or "z." in symbols


def test_its_timings_are_monotonic_and_cover_the_whole_audio() -> None:
    speech = synthesize("现在下单立减五十元！谢谢大家。", language="zh")
    starts = [unit.start_s for unit in speech.phonemes]
    assert starts == sorted(starts)
    assert speech.phonemes[0].start_s == 0.0
    assert abs(speech.phonemes[-1].end_s - len(speech.pcm) / speech.sample_rate) < 1e-9
    for previous, unit in zip(speech.phonemes, speech.phonemes[1:], strict=False):
        assert unit.start_s == previous.end_s
        assert unit.end_s > unit.start_s
    assert speech.visemes[0].start_s == 0.0
    assert abs(speech.visemes[-1].end_s - speech.duration_s) < 1e-9


def test_it_returns_audible_float_audio_at_the_engine_rate() -> None:
    speech = synthesize("你好", language="zh")
    assert speech.sample_rate == 22050
    assert speech.pcm.dtype == np.float32
    assert 0.05 < float(np.abs(speech.pcm).max()) <= 1.0
    assert speech.pcm_int16().dtype == np.int16

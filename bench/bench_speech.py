"""Speech: TTS speed (ms of compute per second of audio, i.e. RTF x 1000) for espeak-ng Mandarin and English and
piper English (joe voice from PyPI), and the time to build a mouth track. Each figure is the median of RUNS runs;
model loading is excluded (done once per worker process) and reported separately.

    python bench/bench_speech.py        # prints the Markdown section
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RUNS = 5
ZH_TEXT = (
    "欢迎来到我们的直播间，今天给大家推荐一款保湿面霜。这款面霜特别适合干性皮肤，"
    "现在下单立减五十元，点击下方小黄车就可以购买。喜欢主播的朋友记得点关注哦。"
)
EN_TEXT = (
    "Welcome to our live stream! Today I am recommending a great moisturizing cream. It suits dry skin, and if you "
    "order now you save fifty yuan. Tap the little yellow cart below to buy, and remember to follow."
)


def _median_seconds(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> str:
    from render.engine.speech import clear_speech_cache, mouth_track, synthesize
    from render.engine.speech.espeak_backend import espeak_version
    from render.engine.speech.piper_backend import joe_voice_paths

    model = str(joe_voice_paths()[0])
    load_start = time.perf_counter()
    synthesize("Hello.", language="en", backend="piper", voice=model)  # loads and patches the model once
    piper_load_s = time.perf_counter() - load_start
    synthesize("你好", language="zh")  # initialises the espeak-ng library

    rows = []

    def uncached(text: str, **options: Any) -> Any:
        clear_speech_cache()  # the engine keeps speech per process; this times the synthesis itself
        return synthesize(text, **options)

    cases = [
        ("espeak-ng zh", lambda: uncached(ZH_TEXT, language="zh")),
        ("espeak-ng en", lambda: uncached(EN_TEXT, language="en")),
        ("piper en (joe-medium)", lambda: uncached(EN_TEXT, language="en", backend="piper", voice=model)),
    ]
    longest = None
    for name, action in cases:
        speech = action()
        seconds = _median_seconds(action)
        rows.append(
            f"| {name} | {speech.duration_s:.1f} | {seconds * 1000:.1f} | {seconds / speech.duration_s * 1000:.1f} |"
        )
        if longest is None or speech.duration_s > longest.duration_s:
            longest = speech
    assert longest is not None
    track_s = {fps: _median_seconds(lambda fps=fps: mouth_track(longest, fps)) for fps in (25, 30)}

    lines = [
        "## Render: speech",
        "",
        f"TTS compute per second of audio (median of {RUNS}; espeak-ng {espeak_version()} via its C library "
        "in a pristine child process per utterance, "
        f"piper-tts with alignments; piper model load {piper_load_s:.2f} s once per process, not included).",
        "",
        "| engine | audio (s) | synth (ms) | ms per s of audio |",
        "| --- | ---: | ---: | ---: |",
        *rows,
        "",
        f"mouth_track for {longest.duration_s:.1f} s of speech ({len(longest.visemes)} visemes): "
        f"{track_s[25] * 1000:.2f} ms at 25 fps, {track_s[30] * 1000:.2f} ms at 30 fps "
        f"({track_s[30] * 1000 / (longest.duration_s * 30):.4f} ms per video frame).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())

"""Voice: intelligibility (Whisper base CER on 50 Mandarin and 50 English product lines), real-time factor, first-audio
latency and memory of the neural voice (Kokoro-82M int8) against espeak-ng, in the same run.

Intelligibility is what an offline listener hears: each line is synthesised, resampled to 16 kHz and transcribed by the
Whisper base model the consent statement check uses (consent/biometrics/speech.py, loaded through its own loader),
greedy, language fixed. Reference and transcript are normalised the same way before the character error rate is taken
(punctuation and spaces removed, case folded, traditional characters simplified (hanziconv), numbers and prices
spelled out by render/engine/speech/readings.py, so "¥129.90" and "一百二十九块九" compare equal).
English CER counts letters.

First audio: a 20-character Mandarin line and a 20-character English line, warm (model loaded and run once), the time
from the call to the first chunk of audio (Kokoro yields clause by clause; espeak-ng makes the line in one go). The
machine is shared: the load average is printed with the figures.

    python bench/bench_voice.py                    # the Markdown section
    VERACAST_VOICE_LINES=10 python bench/bench_voice.py   # fewer lines while iterating
    VERACAST_VOICE_SAMPLES=/tmp/voice python bench/bench_voice.py   # also writes WAV samples per preset
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ZH_LINES = (
    "大家好，欢迎来到我们的直播间",
    "今天给大家推荐一款保湿面霜",
    "这款面霜特别适合干性皮肤",
    "现在下单立减五十元",
    "点击下方小黄车就可以购买",
    "喜欢主播的朋友记得点关注哦",
    "这款精华液原价三百九十九元",
    "今天直播间只要¥129.90",
    "库存只有最后两百件了",
    "买一送一，数量有限",
    "这件羽绒服非常保暖，而且很轻",
    "面料是百分之百纯棉的",
    "我们支持七天无理由退换货",
    "全国包邮，当天发货",
    "这款口红的颜色特别显白",
    "有问题可以在评论区留言",
    "这个锅是不粘锅，做饭很方便",
    "新用户首单可以再减十元",
    "这款耳机的音质非常好",
    "充电一次可以用三十个小时",
    "宝宝们想要的扣个一",
    "我们的产品都有质检报告",
    "这款洗面奶很温和，敏感肌也能用",
    "今天全场八五折",
    "满两百减三十，可以叠加使用",
    "这个包包有三种颜色可以选",
    "黑色和白色都很百搭",
    "这款零食是低糖的，适合减肥的朋友",
    "一箱有二十四瓶",
    "我自己也一直在用这款",
    "下单之后记得备注尺码",
    "身高一米六的可以选中号",
    "这款电饭煲有十二种烹饪模式",
    "今晚八点还有一场专场直播",
    "优惠券在直播间下方领取",
    "这款茶叶来自云南",
    "泡出来的茶汤很清亮",
    "家里有小朋友的一定要看看这款",
    "这个价格真的很划算",
    "错过今天就要恢复原价了",
    "这款行李箱的轮子特别静音",
    "二十寸的可以直接登机",
    "欢迎新进来的朋友",
    "感谢大家的支持",
    "这款护手霜味道很清香",
    "冬天用特别滋润",
    "我们马上开始抽奖",
    "关注主播就可以参与",
    "这款台灯的亮度可以调节",
    "谢谢大家，我们明天见",
)
EN_LINES = (
    "Welcome to our live stream, everyone!",
    "Today I am showing you a moisturizing cream.",
    "It is perfect for dry skin.",
    "Order now and save fifty yuan.",
    "Tap the yellow cart below to buy.",
    "Remember to follow for more deals.",
    "This serum usually costs four hundred yuan.",
    "Today it is only $29.90 in our room.",
    "We have just two hundred left in stock.",
    "Buy one and get one free while it lasts.",
    "This down jacket is warm and very light.",
    "The fabric is one hundred percent cotton.",
    "You can return it within seven days.",
    "Shipping is free and it ships today.",
    "This lipstick shade looks great on everyone.",
    "Leave your questions in the comments.",
    "This pan is nonstick, so cooking is easy.",
    "New customers get another ten yuan off.",
    "These headphones sound amazing.",
    "One charge lasts thirty hours.",
    "Type one in the chat if you want it.",
    "Every product comes with a quality report.",
    "This cleanser is gentle on sensitive skin.",
    "Everything is fifteen percent off today.",
    "Spend two hundred and save thirty.",
    "This bag comes in three colors.",
    "Black and white go with everything.",
    "These snacks are low in sugar.",
    "There are twenty four bottles in a box.",
    "I use this one every single day.",
    "Please add your size in the order notes.",
    "If you are five foot three, take a medium.",
    "This rice cooker has twelve cooking modes.",
    "We have another special show at eight tonight.",
    "Grab the coupon below the video.",
    "This tea comes from Yunnan.",
    "The tea is clear and smells fresh.",
    "Parents, you will want to see this one.",
    "This price is a really good deal.",
    "After today the price goes back up.",
    "The wheels on this suitcase are very quiet.",
    "The small size fits in the overhead bin.",
    "Welcome to everyone who just joined.",
    "Thank you all for your support.",
    "This hand cream smells lovely.",
    "It keeps your hands soft all winter.",
    "We are starting the giveaway now.",
    "Follow the host to join in.",
    "You can adjust how bright this lamp is.",
    "Thank you, see you tomorrow!",
)
FIRST_AUDIO_LINES = {"zh": "大家好，欢迎来到直播间，今天有大优惠", "en": "Hi all, welcome! Deals now."}
ZH_PROMPT = "以下是普通话的句子。"
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english_number(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10 - 2] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + english_number(rest))
    if n < 1_000_000:
        rest = n % 1000
        return english_number(n // 1000) + " thousand" + ("" if rest == 0 else " " + english_number(rest))
    return " ".join(_ONES[int(d)] for d in str(n))


def normalized(text: str, language: str) -> str:
    from render.engine.speech.readings import normalize_english, normalize_mandarin

    if language == "zh":
        from hanziconv import HanziConv  # Whisper base sometimes writes traditional characters for what it heard

        text = normalize_mandarin(HanziConv.toSimplified(text).replace("块钱", "块"))
        return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
    text = normalize_english(text.lower()).replace("-", " ")
    text = re.sub(r"\d+", lambda m: english_number(int(m.group(0))), text)
    return "".join(ch for ch in text if ch.isalpha())


def cer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance, reference length) in characters."""
    previous = list(range(len(hypothesis) + 1))
    for i, r in enumerate(reference, 1):
        current = [i]
        for j, h in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1], len(reference)


def syllable_errors(reference: str, hypothesis: str) -> tuple[int, int, int]:
    """(toned syllable edits, toneless syllable edits, reference syllables) of two normalised Mandarin strings.

    Whisper base writes what it hears as characters, and its language model picks among homophones: the pinyin of
    both sides separates "heard the wrong tone" (toned errors only) from "heard the wrong syllable" (both), which is
    where a voice's Mandarin CER comes from (docs/voice.md).
    """
    from pypinyin import Style, lazy_pinyin

    toned = [lazy_pinyin(s, style=Style.TONE3, neutral_tone_with_five=True) for s in (reference, hypothesis)]
    plain = [lazy_pinyin(s, style=Style.NORMAL) for s in (reference, hypothesis)]
    return _edits(*toned), _edits(*plain), len(plain[0])


def _edits(reference: list[str], hypothesis: list[str]) -> int:
    previous = list(range(len(hypothesis) + 1))
    for i, r in enumerate(reference, 1):
        current = [i]
        for j, h in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1]


def _load_whisper():  # type: ignore[no-untyped-def]
    from consent.biometrics.speech import load_model

    cache = os.environ.get("VERACAST_MODEL_CACHE") or str(Path(tempfile.gettempdir()) / "veracast-models")
    loaded = load_model(cache, threads=2)
    if not loaded.multilingual:
        raise RuntimeError("the Whisper base model is not installed; the fallback cannot hear Mandarin")
    return loaded


def transcribe(loaded, speech, language: str) -> str:  # type: ignore[no-untyped-def]
    import numpy as np

    from render.engine.speech import resample

    audio = resample(np.asarray(speech.pcm), speech.sample_rate, 16_000)
    segments, _info = loaded.model.transcribe(
        audio,
        language=language,
        beam_size=1,
        condition_on_previous_text=False,
        initial_prompt=ZH_PROMPT if language == "zh" else None,
        without_timestamps=True,
        vad_filter=False,
    )
    return "".join(s.text for s in segments)


def intelligibility(
    loaded, backend: str, voice: str | None, language: str, lines: tuple[str, ...], samples: Path | None
):  # type: ignore[no-untyped-def]
    from render.engine.speech import synthesize

    errors = total = 0
    toned = toneless = syllables = 0
    synth_s = audio_s = 0.0
    worst: list[tuple[float, str, str]] = []
    for index, line in enumerate(lines):
        start = time.perf_counter()
        speech = synthesize(line, language=language, backend=backend, voice=voice)
        synth_s += time.perf_counter() - start
        audio_s += speech.duration_s
        heard = transcribe(loaded, speech, language)
        e, n = cer(normalized(line, language), normalized(heard, language))
        errors, total = errors + e, total + n
        if language == "zh":
            t, p, k = syllable_errors(normalized(line, language), normalized(heard, language))
            toned, toneless, syllables = toned + t, toneless + p, syllables + k
        worst.append((e / max(n, 1), line, heard))
        if samples is not None and index < 3:
            import soundfile

            soundfile.write(
                samples / f"{backend}-{voice or 'default'}-{language}-{index}.wav", speech.pcm, speech.sample_rate
            )
    worst.sort(reverse=True)
    per_syllable = (toned / max(syllables, 1), toneless / max(syllables, 1))
    return errors / max(total, 1), synth_s / max(audio_s, 1e-9), worst[:3], per_syllable


def first_audio_ms(backend: str, language: str, runs: int = 5) -> float:
    from render.engine.speech import clear_speech_cache, get_backend, synthesize
    from render.engine.speech.text import prepare_text

    line = FIRST_AUDIO_LINES[language]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if backend == "kokoro":
            chunks = get_backend("kokoro").synthesize_chunks(  # type: ignore[attr-defined]
                prepare_text(line, language=language), language=language, voice=None, speed=1.0
            )
            next(chunks)
        else:
            clear_speech_cache()  # the engine keeps speech per process: time the synthesis, not the cache
            start = time.perf_counter()
            synthesize(line, language=language, backend=backend)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run() -> str:
    from render.engine.speech import synthesize
    from render.engine.speech.kokoro_backend import DEFAULT_PRESET, PRESETS, warm

    count = int(os.environ.get("VERACAST_VOICE_LINES", "50"))
    samples_dir = os.environ.get("VERACAST_VOICE_SAMPLES")
    samples = Path(samples_dir) if samples_dir else None
    if samples is not None:
        samples.mkdir(parents=True, exist_ok=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    warm()
    load_s = time.perf_counter() - start
    rss_kokoro = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    synthesize("你好", language="zh")  # espeak-ng's version query and first child
    loaded = _load_whisper()

    lines = {"zh": ZH_LINES[:count], "en": EN_LINES[:count]}
    results = {}
    for backend, voice in (("kokoro", DEFAULT_PRESET), ("espeak", None)):
        for language in ("zh", "en"):
            results[backend, language] = intelligibility(loaded, backend, voice, language, lines[language], samples)
    presets = {}
    preset_lines = int(os.environ.get("VERACAST_VOICE_PRESET_LINES", "10"))
    for preset in PRESETS:
        if preset == DEFAULT_PRESET and preset_lines <= count:
            presets[preset] = None
            continue
        presets[preset] = intelligibility(loaded, "kokoro", preset, "zh", ZH_LINES[:preset_lines], samples)[0]
    latency = {(b, lang): first_audio_ms(b, lang) for b in ("kokoro", "espeak") for lang in ("zh", "en")}
    load = os.getloadavg()

    out = ["<!-- bench:bench_voice -->", "## Voice: intelligibility, speed and first audio", ""]
    out.append(
        f"Whisper base ({loaded.name}, greedy, language fixed) character error rate on {len(lines['zh'])} Mandarin "
        f"and {len(lines['en'])} English product lines (bench/bench_voice.py), each backend in the same run; RTF is "
        f"compute time per second of audio. Load average during the run: {load[0]:.1f} on {os.cpu_count()} cores "
        "(shared machine: the RTF and latency figures are upper bounds)."
    )
    out += ["", "| backend | voice | CER zh | CER en | RTF zh | RTF en | first audio zh (20 chars) | first audio en |"]
    out.append("|---|---|---|---|---|---|---|---|")
    for backend, voice in (("kokoro", DEFAULT_PRESET), ("espeak", "cmn-latn-pinyin / en-us")):
        zh, en = results[backend, "zh"], results[backend, "en"]
        out.append(
            f"| {backend} | {voice} | {zh[0] * 100:.1f} % | {en[0] * 100:.1f} % | {zh[1]:.3f} | {en[1]:.3f} | "
            f"{latency[backend, 'zh']:.0f} ms | {latency[backend, 'en']:.0f} ms |"
        )
    out.append("")
    for backend in ("kokoro", "espeak"):
        toned_rate, toneless_rate = results[backend, "zh"][3]
        out.append(
            f"{backend} Mandarin, pinyin of reference and transcript: {toned_rate * 100:.1f} % of syllables wrong "
            f"with tones, {toneless_rate * 100:.1f} % without (the gap is tones Whisper heard differently)."
        )
    out.append("")
    preset_text = ", ".join(
        f"{name} {'(above)' if value is None else f'{value * 100:.1f} %'}" for name, value in presets.items()
    )
    out.append(f"Kokoro presets, Mandarin CER on the first {preset_lines} lines: {preset_text}.")
    out.append(
        f"Kokoro load (join + SHA-256 + patch + session + one warm-up inference): {load_s:.1f} s; "
        f"peak RSS grew by {(rss_kokoro - rss_before) / 1024:.0f} MiB."
    )
    for backend in ("kokoro", "espeak"):
        for language in ("zh", "en"):
            worst = results[backend, language][2]
            if worst and worst[0][0] > 0:
                shown = "; ".join(f"“{line}” → “{heard.strip()}”" for _rate, line, heard in worst if _rate > 0)
                out.append(f"Worst {backend} {language}: {shown}.")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(run())

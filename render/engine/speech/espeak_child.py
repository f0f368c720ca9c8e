"""One espeak-ng synthesis in a pristine process (standard library only; run by espeak_backend as a child).

Why a child process: espeak-ng keeps state across calls inside one process (its pitch "flutter" index and other
wave-generator state advance with every utterance), so the same text, voice and rate give audio that differs by a
few samples depending on what the process said before. A stream's plan must be identical when a fresh worker
re-makes it to resume a stream, so every utterance is synthesised from the library's start-up state, as the CLI does.

Protocol: a JSON request on stdin ({"library", "data", "voice", "rate", "text"}); on stdout one JSON header line
({"sample_rate", "version", "status", "events": [[sample, phoneme], ...], "transcription"}) followed by the raw
little-endian int16 PCM. With {"ipa": true} and a list of texts, no audio: the header's "ipa" lists each text's IPA
(the Kokoro backend's English and Latin-script G2P). `python -I -S espeak_child.py` starts in a few milliseconds: no
site-packages, no numpy.
"""

from __future__ import annotations

import array
import ctypes
import json
import sys

# espeak_AUDIO_OUTPUT / espeak_EVENT_TYPE / espeakINITIALIZE_* / flags from speak_lib.h.
AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_PHONEME_EVENTS = 0x0001
INITIALIZE_PHONEME_IPA = 0x0002
EVENT_LIST_TERMINATED = 0
EVENT_PHONEME = 7
CHARS_UTF8 = 1
POS_CHARACTER = 1
END_OF_TEXT = 0x1000  # espeakENDPAUSE: add a sentence-final pause.
PARAM_RATE = 1
IPA_MODE = 0x02  # espeak_TextToPhonemes phonememode bit 1: IPA instead of ASCII mnemonics


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


def synthesize(request: dict[str, object]) -> tuple[dict[str, object], bytes]:
    lib = ctypes.CDLL(str(request["library"]))
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
        ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
    ]  # fmt: skip
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]

    data = request.get("data")
    flags = INITIALIZE_PHONEME_EVENTS | INITIALIZE_PHONEME_IPA
    sample_rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, str(data).encode() if data else None, flags)
    header: dict[str, object] = {"sample_rate": sample_rate, "version": (lib.espeak_Info(None) or b"0.0").decode()}
    if sample_rate <= 0:
        return {**header, "status": "init_failed"}, b""
    text = request.get("text")
    if text is None:  # a version query
        return {**header, "status": "ok"}, b""
    if lib.espeak_SetVoiceByName(str(request["voice"]).encode()) != 0:
        return {**header, "status": "unknown_voice"}, b""
    if request.get("ipa") and isinstance(text, list):  # a phonemes-only query: IPA for each text, no audio
        return {**header, "status": "ok", "ipa": [_phonemes(lib, str(piece), IPA_MODE) for piece in text]}, b""
    lib.espeak_SetParameter(PARAM_RATE, int(str(request["rate"])), 0)

    pcm = array.array("h")
    events: list[list[object]] = []

    def on_synth(wav: ctypes._Pointer[ctypes.c_short], count: int, event_list: ctypes._Pointer[_Event]) -> int:
        if wav and count > 0:
            pcm.extend(wav[:count])
        i = 0
        while event_list[i].type != EVENT_LIST_TERMINATED:
            if event_list[i].type == EVENT_PHONEME:
                events.append([event_list[i].sample, event_list[i].id.string.decode("utf-8", "replace")])
            i += 1
        return 0

    callback = _Callback(on_synth)
    lib.espeak_SetSynthCallback(callback)
    encoded = str(text).encode("utf-8")
    buffer = ctypes.create_string_buffer(encoded)
    status = lib.espeak_Synth(buffer, len(encoded) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8 | END_OF_TEXT, None, None)
    lib.espeak_Synchronize()
    if status != 0:
        return {**header, "status": f"synth_failed:{status}"}, b""

    # espeak-ng's ASCII phoneme mnemonics for the text (Mandarin syllables carry tone numbers).
    header.update(status="ok", events=events, transcription=_phonemes(lib, str(text), 0))
    if sys.byteorder != "little":
        pcm.byteswap()
    return header, pcm.tobytes()


def _phonemes(lib: ctypes.CDLL, text: str, mode: int) -> str:
    """The text's phonemes, clause by clause, as ASCII mnemonics (mode 0) or IPA (IPA_MODE)."""
    buffer = ctypes.create_string_buffer(text.encode("utf-8"))
    pointer = ctypes.c_void_p(ctypes.addressof(buffer))
    clauses: list[str] = []
    while pointer.value:
        result = lib.espeak_TextToPhonemes(ctypes.byref(pointer), CHARS_UTF8, mode)
        if result:
            clauses.append(result.decode("utf-8", "replace").strip())
    return " ".join(clause for clause in clauses if clause)


def main() -> int:
    header, pcm = synthesize(json.loads(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(json.dumps(header).encode() + b"\n" + pcm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

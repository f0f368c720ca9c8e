"""Speech for the render engine: TTS with phoneme/viseme timings, the spoken AI disclosure, audio utilities and
mouth tracks for lip-sync. Pure library code: no Django imports; piper/onnxruntime load lazily.

    from render.engine.speech import synthesize, mouth_track
    speech = synthesize("欢迎来到直播间", language="zh")       # espeak-ng, the default backend
    track = mouth_track(speech, fps=30)                        # [frames, 3]: jaw_open, lip_width, lip_round
"""

from __future__ import annotations

from render.engine.speech.audio import (
    SegmentWindow,
    concatenate,
    resample,
    segment_windows,
)
from render.engine.speech.backends import (
    DEFAULT_BACKEND,
    TTSBackend,
    backend_names,
    clear_speech_cache,
    get_backend,
    register_backend,
    synthesize,
    unregister_backend,
)
from render.engine.speech.disclosure import (
    DISCLOSURE_TEXT,
    RHYTHM_PATTERN,
    disclosure_speech,
    rhythm_label,
    stream_opening,
)
from render.engine.speech.mouth import envelope_mouth_track, mouth_track
from render.engine.speech.types import (
    SILENCE,
    BackendUnavailable,
    Speech,
    SpeechError,
    TimedUnit,
    UnspeakableText,
    VoiceConsentRequired,
)
from render.engine.speech.visemes import MOUTH_PARAMS, VISEMES

__all__ = [
    "DEFAULT_BACKEND",
    "DISCLOSURE_TEXT",
    "MOUTH_PARAMS",
    "RHYTHM_PATTERN",
    "SILENCE",
    "VISEMES",
    "BackendUnavailable",
    "SegmentWindow",
    "Speech",
    "SpeechError",
    "TTSBackend",
    "TimedUnit",
    "UnspeakableText",
    "VoiceConsentRequired",
    "backend_names",
    "clear_speech_cache",
    "concatenate",
    "disclosure_speech",
    "envelope_mouth_track",
    "get_backend",
    "mouth_track",
    "register_backend",
    "resample",
    "rhythm_label",
    "segment_windows",
    "stream_opening",
    "synthesize",
    "unregister_backend",
]

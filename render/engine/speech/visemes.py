"""Phonemes (IPA from espeak-ng and piper, for Mandarin and English) → visemes, and visemes → mouth parameters.

The viseme set
--------------
15 classes, the set MPEG-4 facial animation defines (ISO/IEC 14496-2 Annex C, 14 visemes + neutral) as popularised by
Oculus/Meta OVRLipSync: a listener can tell these mouth shapes apart, but not the phonemes inside one class.

| viseme | lips / jaw                          | English IPA      | Mandarin (pinyin → espeak IPA)                 |
|--------|-------------------------------------|------------------|------------------------------------------------|
| sil    | rest, lips lightly closed           | pauses           | pauses                                         |
| PP     | lips pressed together               | p b m            | b p m  → p ph m                                |
| FF     | lower lip under upper teeth         | f v              | f → f                                          |
| TH     | tongue tip between the teeth        | θ ð              | (none)                                         |
| DD     | slightly open, tongue on ridge      | t d ɾ ʔ          | d t → t th                                     |
| KK     | open, back of tongue raised         | k ɡ ŋ h x        | g k h, -ng → k kh χ ŋ                          |
| CH     | lips protruded, teeth close         | tʃ dʒ ʃ ʒ        | zh ch sh r, j q x → ts. ts.h s. ʐ tɕ tɕh ɕ     |
| SS     | teeth close, lips spread            | s z              | z c s → ts tsh s                               |
| NN     | slightly open, tongue up            | n l              | n l → n l                                      |
| RR     | lips slightly rounded, narrow       | ɹ ɚ ɜ            | er → ər                                        |
| AA     | jaw wide open                       | ɑ æ a ʌ          | a → a ɑ                                        |
| E      | mid open, lips relaxed/spread       | ɛ e ə            | e, ê → ə ɤ ɛ e                                 |
| I      | small opening, lips spread          | i ɪ ᵻ  (glide j) | i, apical -i (zhi/zi) → i i. i̪  (glide y → j) |
| O      | open, lips rounded                  | ɔ o              | o → o o-                                       |
| U      | small opening, lips rounded forward | u ʊ  (glide w)   | u, ü → u y  (glide w → w)                      |

Reasoning for the Mandarin rows: the class follows what the *lips* do, since that is all the camera sees. Mandarin
retroflexes (zh ch sh r) are produced with slightly protruded lips like English ʃ, so they join CH; the
alveolo-palatals (j q x) also go to CH (the tongue blade is up behind the teeth with the teeth close), not SS, because
their lip posture is set by the following high vowel in any case. ü (IPA y) is a rounded high vowel: U, not I. The
apical vowels written "i" after z c s / zh ch sh r (espeak `i.`, `i̪`) are unrounded with a small opening: I.
Compound finals (`iou`, `ua`, `onɡ`, `yæ`) are split into their segments, and the phoneme's duration is shared among
them, with glides (i/u/ü before another vowel, j, w) given half weight. Tone marks, stress marks, length marks and
diacritics do not change the mouth shape and are ignored.

Mouth parameters (jaw_open, lip_width, lip_round, each 0-1) per viseme are hand-set from these articulatory
descriptions; `dominance` says how strongly a viseme imposes its shape on its neighbours in the coarticulation model
(Cohen & Massaro 1993): bilabial closure and labiodental contact must be reached, tongue consonants are barely visible.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from render.engine.speech.types import SILENCE, TimedUnit

VISEMES: tuple[str, ...] = ("sil", "PP", "FF", "TH", "DD", "KK", "CH", "SS", "NN", "RR", "AA", "E", "I", "O", "U")

MOUTH_PARAMS: tuple[str, ...] = ("jaw_open", "lip_width", "lip_round")


@dataclass(frozen=True)
class MouthShape:
    jaw_open: float
    lip_width: float
    lip_round: float
    dominance: float


MOUTH_SHAPES: dict[str, MouthShape] = {
    "sil": MouthShape(0.02, 0.50, 0.05, 0.5),
    "PP": MouthShape(0.00, 0.45, 0.10, 15.0),
    "FF": MouthShape(0.10, 0.50, 0.00, 6.0),
    "TH": MouthShape(0.20, 0.50, 0.00, 1.2),
    "DD": MouthShape(0.25, 0.55, 0.05, 0.5),
    "KK": MouthShape(0.35, 0.50, 0.05, 0.5),
    "CH": MouthShape(0.20, 0.30, 0.65, 1.2),
    "SS": MouthShape(0.10, 0.70, 0.00, 1.0),
    "NN": MouthShape(0.20, 0.55, 0.05, 0.5),
    "RR": MouthShape(0.25, 0.35, 0.50, 0.8),
    "AA": MouthShape(0.90, 0.60, 0.00, 1.0),
    "E": MouthShape(0.55, 0.70, 0.00, 1.0),
    "I": MouthShape(0.30, 0.90, 0.00, 1.0),
    "O": MouthShape(0.60, 0.30, 0.70, 1.0),
    "U": MouthShape(0.25, 0.15, 1.00, 1.2),
}

_GLIDE = 0.5
_CONSONANT = 1.0
_VOWEL = 1.0

# Segment → (viseme, weight). Multi-character keys are matched first (longest match), so "ts.h" beats "ts" beats "t".
SEGMENTS: dict[str, tuple[str, float]] = {
    # Bilabials.
    "p": ("PP", _CONSONANT),
    "ph": ("PP", _CONSONANT),
    "b": ("PP", _CONSONANT),
    "m": ("PP", _CONSONANT),
    # Labiodentals.
    "f": ("FF", _CONSONANT),
    "v": ("FF", _CONSONANT),
    # Dentals.
    "θ": ("TH", _CONSONANT),
    "ð": ("TH", _CONSONANT),
    # Alveolar stops and flaps.
    "t": ("DD", _CONSONANT),
    "th": ("DD", _CONSONANT),
    "d": ("DD", _CONSONANT),
    "ɾ": ("DD", _CONSONANT),
    "ʔ": ("DD", _CONSONANT),
    # Velars and glottal/uvular fricatives.
    "k": ("KK", _CONSONANT),
    "kh": ("KK", _CONSONANT),
    "ɡ": ("KK", _CONSONANT),
    "g": ("KK", _CONSONANT),
    "ŋ": ("KK", _CONSONANT),
    "x": ("KK", _CONSONANT),
    "χ": ("KK", _CONSONANT),
    "h": ("KK", _CONSONANT),
    "ɣ": ("KK", _CONSONANT),
    # Postalveolars, Mandarin retroflexes (espeak writes them with a dot) and alveolo-palatals.
    "tʃ": ("CH", _CONSONANT),
    "dʒ": ("CH", _CONSONANT),
    "ʃ": ("CH", _CONSONANT),
    "ʒ": ("CH", _CONSONANT),
    "ts.": ("CH", _CONSONANT),
    "ts.h": ("CH", _CONSONANT),
    "s.": ("CH", _CONSONANT),
    "ʈʂ": ("CH", _CONSONANT),
    "ʈʂh": ("CH", _CONSONANT),
    "ʂ": ("CH", _CONSONANT),
    "ʐ": ("CH", _CONSONANT),
    "tɕ": ("CH", _CONSONANT),
    "tɕh": ("CH", _CONSONANT),
    "ɕ": ("CH", _CONSONANT),
    "ʑ": ("CH", _CONSONANT),
    # One-character affricates of Kokoro's phoneme set (misaki: ʨ = pinyin j, ꭧ = zh, ʧ ʤ = English ch, j).
    "ʨ": ("CH", _CONSONANT),
    "ʥ": ("CH", _CONSONANT),
    "ꭧ": ("CH", _CONSONANT),
    "ʧ": ("CH", _CONSONANT),
    "ʤ": ("CH", _CONSONANT),
    # Sibilants.
    "s": ("SS", _CONSONANT),
    "z": ("SS", _CONSONANT),
    "ts": ("SS", _CONSONANT),
    "tsh": ("SS", _CONSONANT),
    "dz": ("SS", _CONSONANT),
    "ʦ": ("SS", _CONSONANT),
    "ʣ": ("SS", _CONSONANT),
    # Nasal and lateral.
    "n": ("NN", _CONSONANT),
    "l": ("NN", _CONSONANT),
    "ɲ": ("NN", _CONSONANT),
    # Rhotics.
    "ɹ": ("RR", _CONSONANT),
    "r": ("RR", _CONSONANT),
    "ɻ": ("RR", _CONSONANT),
    "ɚ": ("RR", _VOWEL),
    "ɝ": ("RR", _VOWEL),
    "ɜ": ("RR", _VOWEL),
    "ər": ("RR", _VOWEL),
    # Glides.
    "j": ("I", _GLIDE),
    "ʲ": ("I", _GLIDE),
    "w": ("U", _GLIDE),
    "ɥ": ("U", _GLIDE),
    # Open vowels.
    "a": ("AA", _VOWEL),
    "ɑ": ("AA", _VOWEL),
    "æ": ("AA", _VOWEL),
    "ʌ": ("AA", _VOWEL),
    "ɐ": ("AA", _VOWEL),
    "ɒ": ("AA", _VOWEL),
    # Mid vowels.
    "e": ("E", _VOWEL),
    "ɛ": ("E", _VOWEL),
    "ə": ("E", _VOWEL),
    "ɤ": ("E", _VOWEL),
    "ɘ": ("E", _VOWEL),
    "œ": ("E", _VOWEL),
    # Close front and apical vowels.
    "i": ("I", _VOWEL),
    "i.": ("I", _VOWEL),
    "ɪ": ("I", _VOWEL),
    "ᵻ": ("I", _VOWEL),
    "ɨ": ("I", _VOWEL),
    "ɯ": ("I", _VOWEL),
    "ɿ": ("I", _VOWEL),
    "ʅ": ("I", _VOWEL),
    # Rounded mid vowels.
    "o": ("O", _VOWEL),
    "o-": ("O", _VOWEL),
    "ɔ": ("O", _VOWEL),
    "ø": ("O", _VOWEL),
    # Rounded close vowels.
    "u": ("U", _VOWEL),
    "ʊ": ("U", _VOWEL),
    "y": ("U", _VOWEL),
    "ʏ": ("U", _VOWEL),
}

_VOWEL_VISEMES = frozenset({"AA", "E", "I", "O", "U", "RR"})
_MAX_KEY = max(len(key) for key in SEGMENTS)
# Marks that carry stress, length, tone or syllabification, not mouth shape.
_IGNORED = frozenset("ˈˌːˑ'\",%=_|#0123456789˥˦˧˨˩")
# A symbol with letters but nothing in the table still moves the mouth: a neutral mid shape is the least wrong guess.
FALLBACK_VISEME = "E"


def _match(symbol: str) -> tuple[list[tuple[str, float]], list[str]]:
    """Longest-match `symbol` against SEGMENTS: (matched segments, letters with no entry)."""
    text = "".join(ch for ch in unicodedata.normalize("NFD", symbol) if unicodedata.category(ch) != "Mn")
    text = "".join(ch for ch in text if ch not in _IGNORED)
    result: list[tuple[str, float]] = []
    unknown: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(_MAX_KEY, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in SEGMENTS:
                result.append(SEGMENTS[piece])
                i += size
                break
        else:
            if text[i].isalpha():
                unknown.append(text[i])
            i += 1
    return result, unknown


def unmapped_letters(symbol: str) -> list[str]:
    """Letters in `symbol` that the table does not know (for coverage checks and logs)."""
    return [] if symbol == SILENCE else _match(symbol)[1]


def segment(symbol: str) -> list[tuple[str, float]]:
    """Split one engine phoneme ('iou', 'ts.h', 'aɪ', 'ˈoʊ') into (viseme, weight) segments.

    Returns [] for silence and for symbols with no letters at all.
    """
    if symbol == SILENCE:
        return []
    result, unknown = _match(symbol)
    if not result and unknown:
        return [(FALLBACK_VISEME, _VOWEL)]
    return _demote_glides(result)


def _demote_glides(segments: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """In a compound final (Mandarin 'iou', 'ua', 'yæ'), a close vowel before another vowel is a glide."""
    demoted = list(segments)
    for i in range(len(demoted) - 1):
        viseme, weight = demoted[i]
        if viseme in {"I", "U"} and demoted[i + 1][0] in _VOWEL_VISEMES:
            demoted[i] = (viseme, min(weight, _GLIDE))
    return demoted


def phonemes_to_visemes(phonemes: tuple[TimedUnit, ...]) -> tuple[TimedUnit, ...]:
    """Viseme timings tiling the same span as `phonemes`; neighbouring identical visemes are merged."""
    visemes: list[TimedUnit] = []
    for unit in phonemes:
        parts = segment(unit.symbol) or [(SILENCE, 1.0)]
        total = sum(weight for _viseme, weight in parts)
        start = unit.start_s
        for index, (viseme, weight) in enumerate(parts):
            end = unit.end_s if index == len(parts) - 1 else start + unit.duration_s * weight / total
            if visemes and visemes[-1].symbol == viseme:
                visemes[-1] = TimedUnit(viseme, visemes[-1].start_s, end)
            else:
                visemes.append(TimedUnit(viseme, start, end))
            start = end
    return tuple(visemes)

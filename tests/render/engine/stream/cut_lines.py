"""The lines of the cut-in tests: one long enough to be interrupted (about 5 s of speech), and an operator's line."""

from __future__ import annotations

from render.engine.stream import ScriptLine

LONG = ScriptLine(
    "long",
    "Today we have a new jacket for you, it is warm, it is light, and it comes in three colours.",
    "en",
    "idle",
)
OPERATOR = (ScriptLine("op-1", "Sorry, one moment please.", "en", "idle"),)

"""Script generation (docs/scripts.md, "Generation"): the built-in template grammar and the optional LLM backend
speaking the OpenAI-compatible chat-completions protocol. Pure: no Django; callers pass plain product facts and get
draft lines, which the linter and a human reviewer judge like any other text."""

from __future__ import annotations

from streaming.generation.builtin import disclosure_line, generate_builtin
from streaming.generation.chat import ChatCompletionsBackend
from streaming.generation.types import INTENTS, LANGUAGES, DraftLine, GenerationError, ProductFacts

__all__ = [
    "INTENTS",
    "LANGUAGES",
    "ChatCompletionsBackend",
    "DraftLine",
    "GenerationError",
    "ProductFacts",
    "disclosure_line",
    "generate_builtin",
]

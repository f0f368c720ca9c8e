"""Every built-in line carries an intent of the render vocabulary, and the choreography's check accepts it: no line's
words contradict its gesture (a "thanks" gesture while asking to follow would be refused at render time)."""

from __future__ import annotations

import pytest

from render.engine.avatar.choreography import INTENT_GESTURE, ScriptLine, check_line, text_intents
from streaming.generation import INTENTS, generate_builtin
from tests.streaming.generation.helpers import every_category


def test_the_generation_intents_are_render_intents() -> None:
    assert set(INTENTS) <= set(INTENT_GESTURE)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_line_of_many_generations_passes_check_line(language: str) -> None:
    products = every_category(language)
    seen: set[str] = set()
    for seed in range(30):
        for n, line in enumerate(generate_builtin(products=products, language=language, brand_name="Acme", seed=seed)):
            check_line(ScriptLine(id=str(n), text=line.text, intent=line.intent, start_s=0.0, end_s=1.0))
            seen.add(line.intent)
            if line.intent in ("greet", "price", "cart", "follow", "thanks"):
                # Said in so many words, so the gesture is the one the text calls for.
                assert line.intent in text_intents(line.text), line.text
    assert seen == {"disclosure", "greet", "product", "price", "cart", "follow", "thanks"}

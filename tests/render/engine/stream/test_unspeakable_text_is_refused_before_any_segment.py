from __future__ import annotations

import pytest

from render.engine.avatar import AvatarAssets
from render.engine.stream import ScriptLine, UnspeakableScriptLine, UnspeakableText
from tests.render.engine.stream.rendered import make_renderer, rendered


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (ScriptLine("emoji-2", "🙂🙂🙂", "zh"), "empty"),
        (ScriptLine("dots-2", "……!!!", "en"), "nothing_to_say"),
        (ScriptLine("han-2", "Buy 这个 now", "en"), "wrong_script"),
        (ScriptLine("fr-2", "Bonjour à tous", "fr"), "unsupported_language"),
    ],
)
def test_a_line_the_voice_cannot_speak_stops_the_plan_and_is_named(line: ScriptLine, reason: str) -> None:
    stream = rendered()
    renderer = make_renderer(stream.pki, AvatarAssets.from_bytes(stream.assets_path.read_bytes()))
    with pytest.raises(UnspeakableText) as caught:
        renderer.plan([ScriptLine("fine-1", "大家好", "zh", "greet"), line])
    assert isinstance(caught.value, UnspeakableScriptLine)
    assert caught.value.line_id == line.line_id
    assert caught.value.reason == reason
    assert line.line_id in str(caught.value)

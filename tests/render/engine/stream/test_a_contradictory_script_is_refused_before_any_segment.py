from __future__ import annotations

import pytest

from render.engine.avatar import AvatarAssets
from render.engine.stream import ScriptIntentError, ScriptLine
from tests.render.engine.stream.rendered import make_renderer, rendered


def _renderer():
    stream = rendered()
    return make_renderer(stream.pki, AvatarAssets.from_bytes(stream.assets_path.read_bytes()))


def test_a_thank_you_gesture_while_asking_for_a_follow_is_refused_naming_the_line() -> None:
    lines = [
        ScriptLine("ok-1", "大家好", "zh", "greet"),
        ScriptLine("bad-2", "点关注，不迷路", "zh", "thanks"),
    ]
    with pytest.raises(ScriptIntentError) as caught:
        _renderer().plan(lines)
    assert caught.value.code == "intent_conflict"
    assert caught.value.line_id == "bad-2"


def test_intents_are_checked_before_any_speech_is_synthesised() -> None:
    # The unspeakable line comes first: if speech ran before the intent check, UnspeakableText would win.
    lines = [
        ScriptLine("mute-1", "🙂🙂", "en", "idle"),
        ScriptLine("bad-2", "Tap follow now", "en", "price"),
    ]
    with pytest.raises(ScriptIntentError, match="contradicts"):
        _renderer().plan(lines)


def test_an_unknown_intent_and_an_empty_script_are_refused() -> None:
    renderer = _renderer()
    with pytest.raises(ScriptIntentError) as caught:
        renderer.plan([ScriptLine("x-1", "hello", "en", "clap")])
    assert caught.value.code == "unknown_intent"
    with pytest.raises(ScriptIntentError) as caught:
        renderer.plan([])
    assert caught.value.code == "empty_script"

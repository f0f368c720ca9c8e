from __future__ import annotations

import pytest

from render.engine.avatar.choreography import ScriptIntentError, ScriptLine, check_line, plan_gestures, text_intents
from tests.render.engine.avatar.sample_avatar import sample_assets


def _line(text: str, intent: str) -> ScriptLine:
    return ScriptLine("l7", text, intent, 0.0, 1.0)


def test_it_refuses_a_thank_you_gesture_while_saying_tap_follow_in_english() -> None:
    with pytest.raises(ScriptIntentError) as info:
        check_line(_line("Tap follow so you don't miss the next drop!", "thanks"))
    assert info.value.code == "intent_conflict"
    assert "line l7" in info.value.message
    assert "'thanks'" in info.value.message
    assert "follow" in info.value.message


def test_it_refuses_a_thank_you_gesture_while_saying_dian_guanzhu_in_chinese() -> None:
    with pytest.raises(ScriptIntentError, match="contradicts"):
        check_line(_line("喜欢主播的点点关注", "thanks"))


def test_it_accepts_matching_and_neutral_intents() -> None:
    check_line(_line("谢谢大家的关注", "thanks"))  # says both thanks and follow: thanking is honest
    check_line(_line("Tap follow!", "follow"))
    check_line(_line("Tap follow!", "idle"))
    check_line(_line("The weather is lovely today", "greet"))  # no keyword: nothing to contradict
    check_line(_line("这款只要九十九元", "agree"))


def test_it_refuses_an_unknown_intent() -> None:
    with pytest.raises(ScriptIntentError) as info:
        check_line(_line("hi", "clap"))
    assert info.value.code == "unknown_intent"


def test_the_compositor_refuses_a_script_with_a_contradiction() -> None:
    with pytest.raises(ScriptIntentError):
        plan_gestures([_line("Click the cart link below", "greet")], sample_assets(), 25.0, 25)


def test_keywords_match_whole_english_words_only() -> None:
    assert text_intents("Our follower count") == set()
    assert text_intents("Please FOLLOW us") == {"follow"}
    assert text_intents("小黄车一号链接，价格九十九元") == {"product", "cart", "price"}


def test_script_intents_cart_faq_and_disclosure_are_performed() -> None:
    check_line(_line("点击下方小黄车下单", "cart"))
    check_line(_line("Tap the cart link below", "cart"))
    check_line(_line("保质期是十二个月", "faq"))
    check_line(_line("我是AI数字人主播", "disclosure"))
    with pytest.raises(ScriptIntentError, match="contradicts"):
        check_line(_line("喜欢主播的点点关注", "cart"))

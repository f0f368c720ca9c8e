from __future__ import annotations

import pytest

from render.engine.label import MIN_HEIGHT_FRACTION, LabelError, LabelSpec, contrast_ratio


def test_it_accepts_the_default_label():
    spec = LabelSpec()
    assert "AI生成" in spec.text
    assert spec.height_fraction >= MIN_HEIGHT_FRACTION
    assert spec.contrast >= 4.5


def test_it_refuses_a_label_smaller_than_five_percent_of_the_shortest_side():
    with pytest.raises(LabelError, match="below the GB 45438 minimum"):
        LabelSpec(height_fraction=0.049)
    with pytest.raises(LabelError):
        LabelSpec(height_fraction=float("nan"))


def test_it_refuses_an_opening_notice_shorter_than_two_seconds():
    with pytest.raises(LabelError, match="opening_seconds"):
        LabelSpec(opening_seconds=1.9)


def test_it_refuses_text_without_the_ai_and_generation_elements():
    with pytest.raises(LabelError, match="AI element"):
        LabelSpec(text="数字人")
    with pytest.raises(LabelError, match="AI element"):
        LabelSpec(text="AI主播")
    with pytest.raises(LabelError, match="AI element"):
        LabelSpec(opening_text="欢迎来到直播间")


def test_it_refuses_text_and_plate_colours_below_4_5_to_1_contrast():
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) < 4.5
    with pytest.raises(LabelError, match="contrast"):
        LabelSpec(text_rgb=(119, 119, 119), plate_rgb=(255, 255, 255))


def test_it_has_no_switch_to_turn_the_label_off():
    with pytest.raises(TypeError):
        LabelSpec(enabled=False)  # type: ignore[call-arg]
    spec = LabelSpec()
    with pytest.raises(AttributeError):
        spec.height_fraction = 0.01  # type: ignore[misc]

from __future__ import annotations

from pathlib import Path

import pytest

from render.engine.label import LabelCompositor, LabelError, LabelSpec, check_glyphs, find_cjk_font, load_font


def test_it_finds_the_noto_cjk_font_from_fonts_noto_cjk():
    path, index = find_cjk_font()
    assert Path(path).is_file()
    assert "NotoSansCJK" in Path(path).name
    assert index >= 0


def test_every_character_of_the_default_labels_has_a_glyph():
    spec = LabelSpec()
    font = load_font(40)
    for text in (spec.text, spec.english, spec.opening_text, spec.opening_english):
        check_glyphs(text or "", font)


def test_a_character_missing_from_the_font_is_an_error_not_a_tofu_box():
    font = load_font(40)
    with pytest.raises(LabelError, match="no glyph"):
        check_glyphs("AI生成\U00017000", font)  # a Tangut ideograph: not in Noto Sans CJK
    spec = LabelSpec(text="AI生成\U00017000")
    with pytest.raises(LabelError, match="no glyph"):
        LabelCompositor(spec).parameters(1280, 720)

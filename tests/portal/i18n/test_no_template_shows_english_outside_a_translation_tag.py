"""No template shows English text that is not inside {% translate %} or {% blocktranslate %}: the text a person
reads (HTML text and the title, alt, aria-label and placeholder attributes) with every template tag, variable and
translated block taken out must hold no English word, other than names and units that read the same in Chinese."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.template.base import Lexer, TokenType

from tests.portal.i18n.extract import ROOT, _files

# Names, codes and units that are written the same way in a Chinese page.
SAME_IN_EVERY_LANGUAGE = {"Veracast", "V", "SHA", "fps", "s", "v"}
VISIBLE_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
HIDDEN_ELEMENTS = {"script", "style"}
PLACEHOLDER = "\x00"


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        self.texts.extend(value or "" for name, value in attrs if name in VISIBLE_ATTRIBUTES)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.texts.append(data)


def _untranslated_words(source: str) -> list[str]:
    """The template's text with tags, variables, comments and translated blocks replaced by a placeholder."""
    parts: list[str] = []
    inside = None
    for token in Lexer(source).tokenize():
        command = token.contents.split()[0] if token.token_type == TokenType.BLOCK and token.contents else ""
        if inside:
            if command == inside:
                inside = None
            continue
        # A block filling a class attribute (body_class, main_class) holds CSS class names, not text.
        is_class_block = command == "block" and token.contents.split()[-1].endswith("_class")
        if command in ("blocktranslate", "blocktrans", "comment") or is_class_block:
            inside = "endblock" if is_class_block else {"comment": "endcomment"}.get(command, f"end{command}")
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            parts.append(PLACEHOLDER)
    parser = _VisibleText()
    parser.feed("".join(parts))
    parser.close()
    words = re.findall(r"[A-Za-z][A-Za-z']*", " ".join(parser.texts))
    return [word for word in words if word not in SAME_IN_EVERY_LANGUAGE]


def test_the_check_finds_english_outside_translation_tags() -> None:
    source = '{% load i18n %}<p title="Hello">{% translate "Fine" %} Plain words <b>{{ name }}</b></p>'
    assert _untranslated_words(source) == ["Hello", "Plain", "words"]
    assert _untranslated_words("{% blocktranslate %}Fine {{ x }} too{% endblocktranslate %}") == []


def test_no_portal_template_shows_untranslated_english() -> None:
    templates = list(_files("*.html"))
    assert len(templates) >= 25
    offenders = {
        str(path.relative_to(ROOT)): words
        for path in templates
        if (words := _untranslated_words(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, f"wrap these in {{% translate %}} (docs/i18n.md): {offenders}"

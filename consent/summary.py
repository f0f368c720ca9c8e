"""The scope document as one plain sentence in the reader's language ("Globex Foods may use your face and voice on
Douyin and Kuaishou for livestream selling from 7 Dec 2026 to 6 Jun 2027, at most 4 hours a day, never for alcohol
or tobacco"). People read the sentence; the canonical document behind it is what is signed and verified, and the
pages show it behind a disclosure. Brands are named by their verified legal name (the party bound)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

# What each identifier reads as inside the sentence (lower case where the language has case).
MODALITY_PHRASES = {
    "face_likeness": _("face"),
    "voice": _("voice"),
    "body_movement": _("body movements and gestures"),
}
PURPOSE_PHRASES = {
    "livestream_ecommerce": _("livestream selling"),
    "short_video": _("short videos"),
}
PLATFORM_NAMES = {
    "douyin": _("Douyin"),
    "taobao": _("Taobao"),
    "kuaishou": _("Kuaishou"),
    "wechat_channels": _("WeChat Channels"),
    "xiaohongshu": _("Xiaohongshu"),
    "other": _("other platforms"),
}


def _chinese() -> bool:
    return (get_language() or "en").startswith("zh")


def join_words(items: list[str], *, last: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' in English; 'A和B', 'A、B和C' in Chinese (or: 'A、B或C')."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    if _chinese():
        return "、".join(items[:-1]) + ("和" if last == "and" else "或") + items[-1]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _day(value: Any) -> str:
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        return str(value)
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _phrases(phrases: dict[str, Any], values: list[str]) -> list[str]:
    """In the order people say them (face, voice, body), not the document's sorted order."""
    order = list(phrases)
    ranked = sorted(values, key=lambda v: order.index(v) if v in order else len(order))
    return [str(phrases.get(value, value)) for value in ranked]


def scope_summary(scope: dict[str, Any]) -> str:
    """One sentence saying who may use what, where, for what, when, and within which limits."""
    brands = join_words([str(b.get("legal_name") or b.get("name") or "") for b in scope.get("brands", [])])
    modalities = join_words(_phrases(MODALITY_PHRASES, scope.get("modalities", [])))
    platforms = join_words(_phrases(PLATFORM_NAMES, scope.get("platforms", [])))
    purposes = join_words(_phrases(PURPOSE_PHRASES, scope.get("purposes", [])))
    sentence = gettext(
        "%(brands)s may use your %(modalities)s on %(platforms)s for %(purposes)s from %(start)s to %(end)s"
    ) % {
        "brands": brands,
        "modalities": modalities,
        "platforms": platforms,
        "purposes": purposes,
        "start": _day(scope.get("valid_from")),
        "end": _day(scope.get("valid_until")),
    }
    limits = scope.get("limits") or {}
    hours = limits.get("hours_per_day")
    comma = "，" if _chinese() else ", "
    if hours:
        sentence += comma + ngettext("at most %(hours)d hour a day", "at most %(hours)d hours a day", hours) % {
            "hours": hours
        }
    excluded = [str(c) for c in limits.get("excluded_product_categories") or []]
    if excluded:
        sentence += comma + gettext("never for %(categories)s") % {"categories": join_words(excluded, last="or")}
    return sentence + ("。" if _chinese() else ".")

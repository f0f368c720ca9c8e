"""Human labels for the identifiers a consent scope and a consent text use (`{{ value|consent_label }}`).

The signed documents keep the stable identifiers; people read these labels.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    # Modalities, each a separate choice (PIPL Art. 29).
    "face_likeness": _("Face likeness"),
    "voice": _("Voice"),
    "body_movement": _("Body movement and gestures"),
    # Purposes.
    "livestream_ecommerce": _("Livestream e-commerce"),
    "short_video": _("Short video"),
    # Target platforms.
    "douyin": _("Douyin"),
    "taobao": _("Taobao"),
    "kuaishou": _("Kuaishou"),
    "wechat_channels": _("WeChat Channels"),
    "xiaohongshu": _("Xiaohongshu"),
    "other": _("Other platforms"),
    # PIPL notice items (Arts. 17 and 30).
    "controller": _("Who processes your data"),
    "contact": _("Personal-information contact"),
    "purpose": _("Purpose"),
    "processing_method": _("How it is processed"),
    "modalities": _("What is used, item by item"),
    "necessity": _("Why it is necessary"),
    "impact": _("Impact on your rights"),
    "retention_period": _("How long it is kept"),
    "recipients": _("Who receives it"),
    "withdrawal": _("Withdrawing consent"),
}


@register.filter
def consent_label(value: str) -> str:
    return str(LABELS.get(value, value))


@register.filter
def consent_labels(values: Iterable[str]) -> str:
    return ", ".join(consent_label(value) for value in values)


@register.filter
def scope_summary(scope: dict[str, object]) -> str:
    """The scope as one plain sentence in the page's language (consent.summary)."""
    from consent.summary import scope_summary as summarise

    return summarise(scope)

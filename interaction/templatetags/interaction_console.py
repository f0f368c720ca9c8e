"""`{% console_comments stream %}`: the operator console's comment panel (interaction/includes/console_comments.html).

The console page (streaming/console_pages.py) belongs to the operator domain; the comment feed to this app. An
inclusion tag lets the console template take the panel in with one line, without the console's view knowing about
comments: the tag reads the same feed the comment API serves (interaction.feed_selectors.comment_feed), and
interaction/static/interaction/console_comments.js keeps it fresh from that API and posts the operator's replies."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from interaction.feed_selectors import comment_feed
from interaction.models import Answer, Comment
from streaming.models import Stream

register = template.Library()

FEED_LIMIT = 30


def decision_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Comment.Decision.choices}


def source_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Answer.Source.choices}


# Why a comment went to the operator, in words (the stable code stays beside it for the ledger's reader).
REASONS = {
    "low_confidence": _("Not sure enough of the best FAQ answer"),
    "no_faq": _("No FAQ answer fits"),
    "answer_fails_linter": _("The FAQ answer fails the linter now: it is not spoken; send another or type a reply"),
    "answer_expired": _("Not answered in time: the host had too much to say before it; send it again or type a reply"),
    "confident": _("Matched an FAQ answer"),
    "no_text": _("No text"),
    "moderation": _("Flagged by moderation"),
}


def reason_labels() -> dict[str, str]:
    return {key: str(value) for key, value in REASONS.items()}


@register.inclusion_tag("interaction/includes/console_comments.html")
def console_comments(stream: Stream) -> dict[str, Any]:
    feed = comment_feed(stream, limit=FEED_LIMIT)
    reasons = reason_labels()
    for row in feed["comments"]:
        row["reason_label"] = reasons.get(str(row["reason"]).split(":", 1)[0], "")
    return {
        "stream": stream,
        "feed": feed,
        "labels": {"decisions": decision_labels(), "sources": source_labels(), "reasons": reasons},
    }

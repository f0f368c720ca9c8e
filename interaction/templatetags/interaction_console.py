"""`{% console_comments stream %}`: the operator console's comment panel (interaction/includes/console_comments.html).

The console page (streaming/console_pages.py) belongs to the operator domain; the comment feed to this app. An
inclusion tag lets the console template take the panel in with one line, without the console's view knowing about
comments: the tag reads the same feed the comment API serves (interaction.feed_selectors.comment_feed), and
interaction/static/interaction/console_comments.js keeps it fresh from that API and posts the operator's replies."""

from __future__ import annotations

from typing import Any

from django import template

from interaction.feed_labels import decision_labels, label_feed_rows, reason_labels, source_labels
from interaction.feed_selectors import comment_feed
from streaming.models import Stream

register = template.Library()

FEED_LIMIT = 30


@register.inclusion_tag("interaction/includes/console_comments.html")
def console_comments(stream: Stream) -> dict[str, Any]:
    feed = comment_feed(stream, limit=FEED_LIMIT)
    label_feed_rows(feed["comments"])
    return {
        "stream": stream,
        "feed": feed,
        "labels": {"decisions": decision_labels(), "sources": source_labels(), "reasons": reason_labels()},
    }

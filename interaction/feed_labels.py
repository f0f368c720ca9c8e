"""The comment feed's codes in words, in the reader's language: a comment's decision, an answer's source and why a
comment went to the operator. The stable codes stay beside the words on every page (the ledger's reader searches by
code); the operator reads the words. Used by the console's comment panel (templatetags/interaction_console.py) and
the separate comment panel page (pages.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from interaction.models import Answer, Comment


def decision_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Comment.Decision.choices}


def source_labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in Answer.Source.choices}


# Why a comment went to the operator, in words (a reason may carry a detail after ":", e.g. the linter rule).
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


def label_feed_rows(rows: list[dict[str, Any]]) -> None:
    """Add `decision_label` and `reason_label` (words, or "" for a code without words) to each feed row."""
    decisions, reasons = decision_labels(), reason_labels()
    for row in rows:
        row["decision_label"] = decisions.get(str(row["decision"]), "")
        row["reason_label"] = reasons.get(str(row["reason"]).split(":", 1)[0], "")

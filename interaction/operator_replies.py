"""The operator answers a comment the matcher sent them: one click on a suggested FAQ answer (its stored text), or
a typed reply that must pass the linter first (a refusal names the finding). Only the stream's assigned, verified
operators may; each reply is ledgered with who sent it."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from common.api import DomainError
from interaction.answers import queue_answer
from interaction.decisions import _answer_blocked, product_names
from interaction.models import Answer, Comment
from streaming.models import FaqEntry
from streaming.operators import require_operator

MAX_REPLY = 500


def _open_comment(comment: Comment) -> None:
    if comment.decision == Comment.Decision.SUPPRESSED:
        raise DomainError(
            "This comment was suppressed by moderation; it is never answered aloud.",
            code="comment_suppressed",
            status_code=409,
        )
    if comment.handled:
        raise DomainError("This comment was already answered.", code="comment_answered", status_code=409)


def send_suggested_answer(*, comment: Comment, operator: User, faq_public_id: str) -> Answer:
    stream = comment.stream
    require_operator(stream, operator)
    _open_comment(comment)
    faq = (
        FaqEntry.objects.filter(public_id=faq_public_id, product__organisation_id=stream.organisation_id).first()
        if _is_uuid(faq_public_id)
        else None
    )
    if faq is None:
        raise DomainError("No such FAQ entry of this brand.", code="unknown_faq", status_code=400)
    blocked = _answer_blocked(faq.answer, faq.language, product_names(stream.organisation_id))
    if blocked:
        raise DomainError(
            f"This FAQ answer no longer passes the linter ({blocked[0]}); edit it before it is spoken.",
            code="answer_fails_linter",
            status_code=400,
        )
    with transaction.atomic():
        return queue_answer(
            comment=comment,
            text=faq.answer,
            language=faq.language,
            faq_id=faq.pk,
            faq_public_id=str(faq.public_id),
            source=Answer.Source.SUGGESTED,
            by=operator,
        )


def send_typed_reply(*, comment: Comment, operator: User, text: object, language: str = "zh") -> Answer:
    stream = comment.stream
    require_operator(stream, operator)
    _open_comment(comment)
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise DomainError("Type the reply the avatar should say.", code="reply_empty", status_code=400)
    if len(value) > MAX_REPLY or any(ord(ch) < 32 for ch in value):
        raise DomainError(
            f"A reply is one line of at most {MAX_REPLY} characters.", code="invalid_reply", status_code=400
        )
    if language not in ("zh", "en"):
        raise DomainError("language must be zh or en.", code="invalid_language", status_code=400)
    blocked = _answer_blocked(value, language, product_names(stream.organisation_id))
    if blocked:
        raise DomainError(
            f"This reply was refused by the linter ({blocked[0]}).", code="reply_refused", status_code=400
        )
    with transaction.atomic():
        return queue_answer(
            comment=comment,
            text=value,
            language=language,
            faq_id=None,
            faq_public_id=None,
            source=Answer.Source.TYPED,
            by=operator,
        )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True

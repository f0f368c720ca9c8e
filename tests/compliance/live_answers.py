"""Helpers of the compliance tests (not a test module): a live stream aired by a compliance test job (its lease
names the job), Acme's demo FAQ, a viewer's comment, and an answer queued and spoken through interaction.answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone


def live_with_faq(personas: dict[str, Any], job: Any) -> tuple[Any, Any, Any]:
    """The live stream the job aired (its lease names the job), Acme's demo FAQ and one viewer comment."""
    from interaction.demo_faq import load_demo_faq
    from interaction.ingestion import store_messages
    from interaction.models import Comment
    from streaming.models import StreamLease
    from tests.interaction.helpers import comment
    from tests.streaming.streams.helpers import approved_version, new_stream, stream_avatar

    live = new_stream(personas, stream_avatar(personas), approved_version(personas))
    StreamLease.objects.update_or_create(stream=live, defaults={"job": job})
    faq = load_demo_faq(organisation=personas["acme"], actor=personas["alice"])
    ids = store_messages(stream=live, messages=[comment("c1", "发货要多久啊", author="u1")]).comment_ids
    return live, faq, Comment.objects.get(pk=ids[0])


def spoken_answer(comment: Any, *, text: str, faq: Any, sequence: int, by: Any = None) -> Any:
    from django.db import transaction

    from interaction.answers import mark_answer_spoken, queue_answer

    with transaction.atomic():
        answer = queue_answer(
            comment=comment,
            text=text,
            language="zh",
            faq_id=faq.pk if faq else None,
            faq_public_id=str(faq.public_id) if faq else None,
            source="matched" if faq else "typed",
            by=by,
        )
    mark_answer_spoken(answer.pk, sequence=sequence, at=timezone.now() + timedelta(seconds=1))
    return answer

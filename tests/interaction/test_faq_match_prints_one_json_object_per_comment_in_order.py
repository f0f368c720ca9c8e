"""`manage.py faq_match --brand acme TEXT...` prints one JSON object per comment, in order, with decision, answer
(the approved text for `answer`), faq_id, score and reason; an unknown brand exits 2; nothing is written."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interaction.models import Comment
from tests.interaction.helpers import faq_stream

pytestmark = pytest.mark.django_db


def test_faq_match_prints_json_lines(personas: dict[str, Any]) -> None:
    _stream, faq, _secret = faq_stream(personas)
    out = StringIO()
    call_command(
        "faq_match", "--brand", "acme", "发货要多久啊", "你是傻逼", "主播唱首歌吧", "is it dishwasher safe", stdout=out
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["decision"] for line in lines] == ["answer", "suppressed", "operator", "answer"]
    assert lines[0]["answer"] == faq["shipping"]["zh"].answer
    assert lines[0]["faq_id"] == str(faq["shipping"]["zh"].public_id)
    assert lines[0]["score"] >= 0.8
    assert lines[1]["reason"] == "moderation:abuse"
    assert lines[1]["answer"] is None
    assert lines[2]["reason"] == "low_confidence"
    assert lines[2]["score"] < 0.8
    assert lines[3]["answer"] == faq["dishwasher"]["en"].answer
    assert set(lines[0]) == {"decision", "answer", "faq_id", "score", "reason"}
    assert not Comment.objects.exists()

    with pytest.raises(CommandError) as unknown:
        call_command("faq_match", "--brand", "nobody", "hi")
    assert unknown.value.returncode == 2

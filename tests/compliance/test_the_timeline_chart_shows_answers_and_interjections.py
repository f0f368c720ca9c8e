"""The report's timeline chart has an answers band and an interjections band beside label presence, consent and
ledger events: the report JSON lists what the live stream said besides its script (with the ledger event that says
so), the HTML chart draws one box per answer and interjection in its own row, and the PDF still renders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.compliance.live_answers import live_with_faq, spoken_answer
from tests.compliance.streams import stream


def test_the_timeline_chart_shows_answers_and_interjections(client: Client, personas: dict[str, Any]) -> None:
    from audit.services import record_event
    from compliance.pdf import render_pdf
    from compliance.reports import build_report

    job = stream(personas)
    live, faq, comment = live_with_faq(personas, job)
    shipping = faq["shipping"]["zh"]
    answer = spoken_answer(comment, text=shipping.answer, faq=shipping, sequence=1)
    record_event(  # as the live runner ledgers an operator's line it starts speaking (streaming.runner)
        kind="stream.interjection_spoken",
        subject=live.subject,
        payload={
            "stream": str(live.public_id),
            "interjection": 41,
            "sequence": 2,
            "at": (timezone.now() + timedelta(seconds=5)).isoformat(),
            "by": personas["bob"].pk,
        },
        actor="system",
        organisation=personas["acme"],
    )

    report = build_report(organisation=personas["acme"], stream_id=job.stream_id)

    said = report["streams"][0]["spoken"]
    assert [(s["kind"], s["sequence"]) for s in said] == [("answer", 1), ("interjection", 2)]
    assert said[0]["id"] == str(answer.public_id)
    assert all(s["at"] and s["evidence"].startswith("ledger:") for s in said)

    client.force_login(personas["audrey"])
    page = client.get(reverse("compliance:report", args=["acme"]), {"stream": job.stream_id}).content.decode()
    assert page.count('data-row="answer"') == 1
    assert page.count('data-row="interjection"') == 1
    assert "Interjections" in page
    assert render_pdf(report).startswith(b"%PDF")

"""The report's "what decided it" sentences are gettext'd: a Chinese reader's page, and a PDF asked for in Chinese
(?lang=zh-hans, drawn with the embedded Noto Sans CJK font), carry them in Chinese; English stays the default
(tasks, the bundle); an unknown language is a 400 with its code."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.compliance.streams import results, stream


def test_report_details_are_written_in_the_readers_language(client: Client, personas: dict[str, Any]) -> None:
    job = stream(personas, disclosure=False)

    assert results(job)["CN-GB-AUDIO"].detail == "Segment 0 does not carry the spoken AI disclosure."
    with translation.override("zh-hans"):
        chinese = results(job)
    assert chinese["CN-GB-AUDIO"].detail == "片段 0 没有AI语音提示。"
    assert chinese["CN-AD-ABSOLUTE"].detail.startswith("第 1 版在播出前已审批")

    client.force_login(personas["audrey"])
    page = client.get(
        reverse("compliance:report", args=["acme"]), {"stream": job.stream_id}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "片段 0 没有AI语音提示。" in page

    pdf = reverse("compliance:report-pdf", args=["acme"])
    english = client.get(pdf, {"stream": job.stream_id, "lang": "en"})
    zh = client.get(pdf, {"stream": job.stream_id, "lang": "zh-hans"})
    assert english.status_code == zh.status_code == 200
    assert zh.content.startswith(b"%PDF")
    assert zh.content != english.content
    assert b"NotoSansCJK" in zh.content or b"Noto Sans CJK" in zh.content

    refused = client.get(pdf, {"stream": job.stream_id, "lang": "fr"})
    assert refused.status_code == 400

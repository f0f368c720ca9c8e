"""The training sample page: only an influencer opens it; it says whether she has a sample (and when it was
accepted), carries every refusal sentence the upload script shows, and runs under the CSP (no inline script)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from consent.sample_refusals import SAMPLE_REFUSALS
from tests.consent.statements import sample_video

pytestmark = [pytest.mark.django_db]


def test_she_sees_no_sample_then_her_accepted_sample(personas: dict[str, Any], client: Any) -> None:
    from consent.services import upload_sample

    client.force_login(personas["iris"])
    empty = client.get("/consent/sample/")
    assert empty.status_code == 200
    html = empty.content.decode()
    assert "<title>Training sample" in html
    assert "You have no training sample yet" in html
    assert 'data-testid="sample-file"' in html
    assert "No face found: face the camera in good light." in html
    # Every refusal code the script may meet has its sentence on the page.
    assert all(f'data-refusal="{code}"' in html for code in SAMPLE_REFUSALS)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "style=" not in html.split('id="sample-upload"')[1]

    upload_sample(user=personas["iris"], video=io.BytesIO(sample_video()), content_type="video/mp4")
    html = client.get("/consent/sample/").content.decode()
    assert "Your current sample was accepted on" in html
    assert "31 seconds, 640×480" in html


def test_brand_members_cannot_open_it(personas: dict[str, Any], client: Any) -> None:
    client.force_login(personas["alice"])
    assert client.get("/consent/sample/").status_code == 403


def test_in_chinese_the_refusals_are_chinese_sentences(personas: dict[str, Any], client: Any) -> None:
    client.force_login(personas["iris"])
    html = client.get("/consent/sample/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "未找到人脸：请在光线充足处面对镜头。" in html
    assert "连接已中断。请重新选择同一个文件：上传会从中断处继续。" in html
    assert "No face found" not in html

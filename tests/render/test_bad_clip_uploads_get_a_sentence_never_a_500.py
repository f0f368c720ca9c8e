"""A clip upload that is not video, is truncated, is too large, is empty or is a crafted box soup gets a 4xx with a
sentence a person can read (never a 500); an ordinary unmarked video gets 'no Veracast watermark found' with the
false-positive bound explained."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.render.clip_helpers import check, client_from_somewhere, unmarked_clip

pytestmark = pytest.mark.django_db


def _sentence(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"]
    assert body["message"].endswith(".")
    return str(body["message"])


def test_a_text_file_is_refused_as_not_a_video() -> None:
    message = _sentence(check(client_from_somewhere(), b"hello, this is not a video\n" * 10, "text/plain"), 415)
    assert "not a video" in message


def test_a_truncated_mp4_is_refused_as_damaged() -> None:
    clip = unmarked_clip()
    response = check(client_from_somewhere(), clip[: len(clip) // 3])
    assert response.status_code in (415, 422), response.content
    assert response.json()["code"] in ("not_video", "undecodable")


def test_a_crafted_box_soup_is_refused() -> None:
    # An ftyp, then a moov that claims 4 GB, then nonsense: the demuxer must give up, not the web worker.
    crafted = (
        struct.pack(">I", 24) + b"ftypisom" + b"\0" * 12 + struct.pack(">I", 0xFFFFFFF0) + b"moov" + b"\xff" * 5000
    )
    response = check(client_from_somewhere(), crafted)
    assert response.status_code in (415, 422), response.content


def test_an_oversized_upload_is_refused_before_it_is_read(settings: Any) -> None:
    settings.CLIP_CHECK_MAX_BYTES = 1_048_576
    message = _sentence(check(client_from_somewhere(), b"\0" * 1_048_577), 413)
    assert "larger than 1 MB" in message


def test_an_empty_upload_asks_for_the_clip() -> None:
    message = _sentence(check(client_from_somewhere(), b""), 411)
    assert "Send the clip" in message


def test_a_multipart_form_without_a_file_says_so() -> None:
    response = client_from_somewhere().post("/api/v1/check-clip", data={"note": "no file"})
    assert _sentence(response, 400).startswith("The form holds no file")


def test_an_unmarked_video_has_no_watermark_and_the_bound_is_explained() -> None:
    response = client_from_somewhere().post(
        "/api/v1/check-clip",
        data={"file": SimpleUploadedFile("plain.mp4", unmarked_clip(), "video/mp4")},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    verdict = response.json()
    assert verdict["made_by_veracast"] is False
    assert verdict["watermark_found"] is False
    assert verdict["stream_id"] is None
    assert verdict["brand"] is None
    assert verdict["consent"] is None
    assert "No Veracast watermark was found" in verdict["summary"]
    assert "at most once in 8,388,608 checks" in verdict["summary"]
    assert verdict["c2pa"]["status"] == "absent"


def test_a_tiny_picture_is_refused_with_its_size() -> None:
    message = _sentence(check(client_from_somewhere(), unmarked_clip(seconds=1.0, size="16x16")), 422)
    assert message.startswith("The video is 16×16 pixels")

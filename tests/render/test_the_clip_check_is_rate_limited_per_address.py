"""The public clip check counts checks per client address: past the limit it answers 429 with a sentence and
Retry-After, before reading the upload; another address is not affected."""

from __future__ import annotations

from typing import Any

import pytest

from tests.render.clip_helpers import check, client_from_somewhere

pytestmark = pytest.mark.django_db


def test_the_third_check_in_the_window_is_refused_with_a_sentence(settings: Any) -> None:
    settings.CLIP_CHECK_RATE_LIMIT = 2
    client = client_from_somewhere()

    first, second, third = (check(client, b"not a video", "text/plain") for _ in range(3))

    assert (first.status_code, second.status_code) == (415, 415)
    assert third.status_code == 429
    assert third.json()["code"] == "throttled"
    assert third.json()["message"].startswith("Too many clip checks from your network: 2 per 60 minutes.")
    assert int(third["Retry-After"]) > 0
    assert check(client_from_somewhere(), b"not a video", "text/plain").status_code == 415


def test_the_page_is_limited_too(settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    settings.CLIP_CHECK_RATE_LIMIT = 1
    client = Client(REMOTE_ADDR=client_from_somewhere().defaults["REMOTE_ADDR"])
    first = client.post("/check/", data={"file": SimpleUploadedFile("a.txt", b"text")})
    assert first.status_code == 415
    assert "not a video" in first.content.decode()

    refused = client.post("/check/", data={"file": SimpleUploadedFile("a.txt", b"text")})

    assert refused.status_code == 429
    assert "Too many clip checks" in refused.content.decode()

"""The review page's videos: the decrypted bytes (identical to what was uploaded), whole or by byte range, with
nothing written to disk in clear; a viewing (the request from byte 0) is ledgered once, later ranges are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from audit.models import LedgerEvent
from consent import vault
from tests.consent.review_helpers import grant_waiting_for_review


def _viewings(grant: Any) -> list[dict[str, Any]]:
    events = LedgerEvent.objects.filter(subject=f"consent:{grant.public_id}", kind="consent.media_viewed")
    return [e.payload_data for e in events.order_by("seq")]


def test_the_videos_are_served_decrypted_whole_and_by_range(
    client: Client, personas: dict[str, Any], template: Any, passkey: Any, consent_environment: dict[str, Path]
) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    plain = vault.open_object(grant.statement).read()
    client.force_login(personas["sam"])
    url = reverse("consent:review-media", args=[grant.public_id, "statement"])

    whole = client.get(url)
    assert whole.status_code == 200
    assert whole.content == plain
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Cache-Control"] == "no-store"
    assert whole["Content-Type"] == "video/mp4"

    first = client.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206
    assert first.content == plain[:100]
    assert first["Content-Range"] == f"bytes 0-99/{len(plain)}"

    rest = client.get(url, HTTP_RANGE="bytes=100-")
    assert rest.status_code == 206
    assert rest.content == plain[100:]

    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.content == plain[-10:]

    beyond = client.get(url, HTTP_RANGE=f"bytes={len(plain)}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(plain)}"

    sample = client.get(reverse("consent:review-media", args=[grant.public_id, "sample"]))
    assert sample.content == vault.open_object(grant.sample).read()

    # Two viewings of the statement started at byte 0 (whole, 0-99) and one of the sample; later ranges are not.
    assert [(v["media"], v["object"]) for v in _viewings(grant)] == [
        ("statement", str(grant.statement.public_id)),
        ("statement", str(grant.statement.public_id)),
        ("sample", str(grant.sample.public_id)),
    ]
    # Nothing in clear on disk: every stored file is ciphertext.
    for path in consent_environment["media"].rglob("*"):
        if path.is_file():
            assert plain[:64] not in path.read_bytes()


def test_an_unknown_video_kind_is_not_found(
    client: Client, personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    client.force_login(personas["sam"])
    assert client.get(reverse("consent:review-media", args=[grant.public_id, "passport"])).status_code == 404
    assert _viewings(grant) == []

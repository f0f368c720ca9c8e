"""The chunked sample upload refuses bad input with a 4xx and a reason, and what it already holds survives: a wrong
offset, a chunk past the declared size, an oversized or non-video upload, a chunk with no offset, someone else's
upload, finishing early. A video that fails validation is refused with the same reason as a one-shot upload, and its
encrypted parts are deleted; nothing on disk ever holds the plaintext."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from consent import sample_uploads
from consent.models import SampleUpload, SampleUploadPart, VaultObject

pytestmark = pytest.mark.django_db


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _create(client: APIClient, size: int, content_type: str = "video/mp4") -> Any:
    return client.post("/api/v1/consent/sample-uploads/", {"size": size, "content_type": content_type}, format="json")


def _put(client: APIClient, upload_id: str, offset: Any, data: bytes) -> Any:
    return client.generic(
        "PUT",
        f"/api/v1/consent/sample-uploads/{upload_id}/",
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
    )


def _disk(media: Path) -> bytes:
    return b"".join(path.read_bytes() for path in media.rglob("*") if path.is_file())


def test_a_wrong_offset_is_refused_with_the_offset_to_resume_from_and_keeps_what_arrived(
    personas: dict[str, Any], consent_environment: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    iris = _client(personas["iris"])
    # A few MB of recognisable bytes, in 1 MiB chunks.
    payload = bytes(range(256)) * (3 * 1024 * 1024 // 256) + b"tail-of-the-video"
    created = _create(iris, len(payload))
    assert created.status_code == 201, created.json()
    upload_id = created.json()["id"]
    mib = 1024 * 1024
    assert _put(iris, upload_id, 0, payload[:mib]).json()["offset"] == mib

    # The client lost track and resends the first chunk, or skips ahead: both refused with the offset to use.
    for wrong in (0, 2 * mib):
        refused = _put(iris, upload_id, wrong, payload[wrong : wrong + mib])
        assert refused.status_code == 409
        assert refused.json()["code"] == "offset_mismatch"
        assert f"offset {mib}" in refused.json()["message"]
    assert iris.get(f"/api/v1/consent/sample-uploads/{upload_id}/").json()["offset"] == mib

    # A chunk that runs past the declared size: refused, nothing of it kept.
    past = _put(iris, upload_id, mib, payload[mib:] + b"x" * 10)
    assert past.status_code == 413
    assert past.json()["code"] == "upload_too_large"
    # No offset at all.
    missing = iris.generic(
        "PUT", f"/api/v1/consent/sample-uploads/{upload_id}/", b"abc", content_type="application/offset+octet-stream"
    )
    assert missing.status_code == 400
    assert missing.json()["code"] == "offset_required"
    # Finishing early says how much is missing.
    early = iris.post(f"/api/v1/consent/sample-uploads/{upload_id}/finish/")
    assert early.status_code == 409
    assert early.json()["code"] == "upload_incomplete"
    # Someone else cannot see, add to or finish her upload.
    charlie = _client(personas["charlie"])
    assert charlie.get(f"/api/v1/consent/sample-uploads/{upload_id}/").status_code == 404
    assert _put(charlie, upload_id, mib, payload[mib : 2 * mib]).status_code == 404
    assert iris.get("/api/v1/consent/sample-uploads/not-a-uuid/").status_code == 404

    # Resume from the offset the server gave: the rest arrives and the state says so.
    offset = mib
    while offset < len(payload):
        response = _put(iris, upload_id, offset, payload[offset : offset + mib])
        assert response.status_code == 200, response.json()
        offset = response.json()["offset"]
    assert offset == len(payload)
    assert SampleUploadPart.objects.filter(upload__public_id=upload_id).count() == 4
    # The chunks are at rest only as ciphertext.
    assert b"tail-of-the-video" not in _disk(consent_environment["media"])
    assert bytes(range(256)) not in _disk(consent_environment["media"])

    # These bytes are no video: finishing refuses them with the one-shot upload's reason; the parts are deleted.
    with django_capture_on_commit_callbacks(execute=True):
        finished = iris.post(f"/api/v1/consent/sample-uploads/{upload_id}/finish/")
    assert finished.status_code == 400
    assert finished.json()["code"] == "undecodable"
    upload = SampleUpload.objects.get(public_id=upload_id)
    assert upload.status == SampleUpload.Status.REFUSED
    assert upload.refusal_code == "undecodable"
    assert not SampleUploadPart.objects.filter(upload=upload).exists()
    assert not list((consent_environment["media"] / "vault").rglob("*.part.vcv"))
    assert not VaultObject.objects.filter(kind=VaultObject.Kind.SAMPLE).exists()
    # A refused upload takes no more chunks.
    assert _put(iris, upload_id, 0, b"more").status_code == 409


def test_uploads_that_could_never_be_accepted_are_refused_before_a_byte_is_sent(
    personas: dict[str, Any], settings: Any
) -> None:
    iris = _client(personas["iris"])
    wrong_type = _create(iris, 1000, "application/pdf")
    assert wrong_type.status_code == 415
    assert wrong_type.json()["code"] == "unsupported_media_type"
    assert "must be a video" in wrong_type.json()["message"]

    settings.CONSENT_SAMPLE_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    too_big = _create(iris, 2 * 1024 * 1024 + 1)
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "upload_too_large"
    assert _create(iris, 0).status_code == 400
    assert _create(iris, -5).status_code == 400
    # A brand member is not an influencer.
    assert _create(_client(personas["alice"]), 1000).status_code == 403
    assert not SampleUpload.objects.exists()

    # A chunk larger than a chunk may be is refused from its Content-Length, before the body is read.
    upload_id = _create(iris, 1000).json()["id"]
    oversized = iris.generic(
        "PUT",
        f"/api/v1/consent/sample-uploads/{upload_id}/",
        b"0",
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        CONTENT_LENGTH=str(sample_uploads.CHUNK_MAX_BYTES + 1),
    )
    assert oversized.status_code == 413
    assert oversized.json()["code"] == "chunk_too_large"
    assert iris.get(f"/api/v1/consent/sample-uploads/{upload_id}/").json()["offset"] == 0


def test_a_cancelled_or_lapsed_upload_forgets_its_parts(
    personas: dict[str, Any], consent_environment: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    iris = _client(personas["iris"])
    first = _create(iris, 100).json()["id"]
    assert _put(iris, first, 0, b"a" * 50).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = iris.delete(f"/api/v1/consent/sample-uploads/{first}/")
    assert cancelled.json()["status"] == "cancelled"

    second = _create(iris, 100).json()["id"]
    assert _put(iris, second, 0, b"b" * 50).status_code == 200
    SampleUpload.objects.filter(public_id=second).update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        lapsed = _put(iris, second, 50, b"b" * 50)
    assert lapsed.status_code == 409
    assert lapsed.json()["code"] == "upload_expired"
    assert not SampleUploadPart.objects.exists()
    assert not list((consent_environment["media"] / "vault").rglob("*.part.vcv"))


def test_shredding_her_data_key_ends_an_open_upload_and_deletes_its_parts(
    personas: dict[str, Any], consent_environment: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    from consent import vault

    iris = _client(personas["iris"])
    upload_id = _create(iris, 100).json()["id"]
    assert _put(iris, upload_id, 0, b"c" * 60).status_code == 200
    assert list((consent_environment["media"] / "vault").rglob("*.part.vcv"))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        vault.destroy_data_keys(influencer=personas["iris"].influencer, actor=None, reason="test")
    upload = SampleUpload.objects.get(public_id=upload_id)
    assert (upload.status, upload.refusal_code) == (SampleUpload.Status.CANCELLED, "vault_shredded")
    assert not list((consent_environment["media"] / "vault").rglob("*.part.vcv"))
    assert _put(iris, upload_id, 60, b"c" * 40).json()["code"] == "upload_cancelled"

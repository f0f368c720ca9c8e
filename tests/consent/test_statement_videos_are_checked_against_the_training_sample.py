"""Statement videos through the API with real faces (public-domain portraits, see biometrics/media_factory.py).

The training sample is astronaut (Eileen Collins). A live statement by her (the code spoken, the actions performed,
tests/consent/statements.py) passes; one by Grace Hopper goes to review; a cat, two faces or a truncated file are
refused with a precise code and nothing is stored.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from consent.models import ConsentGrant, StatementChallenge, VaultObject
from tests.consent.biometrics import media_factory as mf
from tests.consent.helpers import draft_grant, sign_with_passkey
from tests.consent.statements import issue, live_statement, submit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
SIZE = (640, 480)


def _video(portrait: Any, *, seconds: int, fps: int = 2) -> bytes:
    return mf.video_bytes(mf.gentle_motion(portrait, SIZE), count=seconds * fps, fps=fps)


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return _video(mf.astronaut(), seconds=31)


def _upload_sample(client: Any, data: bytes) -> Any:
    return client.post("/api/v1/consent/samples/", {"video": _file(data, "sample.mp4")})


def _file(data: bytes, name: str) -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _statement(client: Any, grant: ConsentGrant, data: Any) -> Any:
    """`data` is the video's bytes, or a function of the issued challenge that makes them."""
    issued = issue(client, grant)
    return submit(client, grant, issued, data(issued) if callable(data) else data, typed=issued["code"])


def test_the_same_face_passes_and_the_grant_waits_for_its_signature(
    personas: dict[str, Any], template: Any, client: Any, sample_bytes: bytes
) -> None:
    client.force_login(personas["iris"])
    assert _upload_sample(client, sample_bytes).status_code == 201
    grant = draft_grant(personas, template)

    response = _statement(client, grant, live_statement)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "pending_signature"
    assert body["face_decision"] == "pass"
    assert body["face_score"] < 0.5
    assert body["needs_review"] is False
    assert VaultObject.objects.filter(kind="statement").count() == 1


def test_a_different_face_is_stored_with_its_score_and_goes_to_staff_review(
    personas: dict[str, Any], template: Any, client: Any, sample_bytes: bytes, passkey: Any
) -> None:
    client.force_login(personas["iris"])
    _upload_sample(client, sample_bytes)
    grant = draft_grant(personas, template)

    response = _statement(client, grant, lambda issued: live_statement(issued, portrait=mf.grace_hopper()))

    assert response.status_code == 200, response.json()
    assert response.json()["face_decision"] == "fail"
    grant.refresh_from_db()
    assert sign_with_passkey(grant, passkey, personas["iris"]).status == ConsentGrant.Status.PENDING_REVIEW


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: _video(mf.chelsea(), seconds=12, fps=4), "no_face"),
        (
            lambda: mf.video_bytes([mf.side_by_side(mf.astronaut(), mf.grace_hopper(), SIZE)], count=48, fps=4),
            "multiple_faces",
        ),
        (lambda: _video(mf.astronaut(), seconds=12, fps=4)[:3000], "undecodable"),
        (lambda: b"\x1a\x45\xdf\xa3 not really a webm", "undecodable"),
    ],
    ids=["no-face", "two-faces", "truncated", "corrupt"],
)
def test_a_bad_statement_is_refused_and_nothing_changes(
    personas: dict[str, Any], template: Any, client: Any, sample_bytes: bytes, make: Any, code: str
) -> None:
    client.force_login(personas["iris"])
    _upload_sample(client, sample_bytes)
    grant = draft_grant(personas, template)
    stored_before = VaultObject.objects.count()

    response = _statement(client, grant, make())

    assert response.status_code == 400
    assert response.json()["code"] == code
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_STATEMENT
    assert VaultObject.objects.count() == stored_before
    # The code was not spent on a refused video: the influencer can record again with it.
    assert not StatementChallenge.objects.filter(grant=grant, used_at__isnull=False).exists()


def test_a_sample_too_short_is_refused_and_not_stored(personas: dict[str, Any], client: Any) -> None:
    client.force_login(personas["iris"])

    response = _upload_sample(client, _video(mf.astronaut(), seconds=5))

    assert response.status_code == 400
    assert response.json()["code"] == "too_short"
    assert not VaultObject.objects.exists()

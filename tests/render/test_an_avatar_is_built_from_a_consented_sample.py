"""The avatar build decrypts the consented sample from the vault, decodes it with PyAV, builds the assets with
progress, stores them encrypted in the vault and records build_started and ready in the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from render.models import Avatar
from render.services import create_avatar
from render.tasks import build_avatar_task
from tests.render.helpers import WAVE, grant_for, store_sample


@pytest.mark.slow
def test_the_build_stores_encrypted_assets_and_logs_each_step(personas: dict[str, Any]) -> None:
    from consent import vault
    from render.engine.avatar import AvatarAssets

    grant_for(personas)
    iris = personas["iris"].influencer
    store_sample(iris)
    avatar = create_avatar(
        influencer=iris,
        brand=personas["acme"],
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        gesture_marks=[{"name": "greet", "start_s": WAVE[0], "end_s": WAVE[1]}],
    )

    result = build_avatar_task(avatar.pk)

    avatar.refresh_from_db()
    assert result["status"] == "ready", avatar.error_message
    assert avatar.status == Avatar.Status.READY
    assert avatar.progress == 1.0
    assert avatar.sample_duration_s == pytest.approx(4.0, abs=0.05)
    assert avatar.assets is not None
    assert avatar.assets.kind == "avatar"
    stored = (vault.open_object(avatar.assets)).read()
    assets = AvatarAssets.from_bytes(stored)
    assert {"idle", "greet"} <= set(assets.clips)
    # The ciphertext on disk is not the plaintext.
    from django.core.files.storage import default_storage

    with default_storage.open(avatar.assets.storage_name, "rb") as handle:
        assert handle.read() != stored
    kinds = list(LedgerEvent.objects.filter(subject=avatar.subject).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["avatar.requested", "avatar.build_started", "avatar.ready"]

    # Running the task again (a redelivered message) changes nothing.
    assert build_avatar_task(avatar.pk)["status"] == "ready"
    assert LedgerEvent.objects.filter(subject=avatar.subject).count() == 3

    # The portal's progress endpoint and the detail show the suggestions beside the marks.
    client = APIClient()
    client.force_authenticate(personas["victor"])
    progress = client.get(f"/api/v1/avatars/{avatar.public_id}/progress/").json()
    assert progress == {
        "id": str(avatar.public_id),
        "status": "ready",
        "progress": 1.0,
        "error_code": "",
        "error_message": "",
    }
    detail = client.get(f"/api/v1/avatars/{avatar.public_id}/").json()
    assert detail["gesture_marks"] == [{"name": "greet", "start_s": WAVE[0], "end_s": WAVE[1]}]
    assert isinstance(detail["suggestions"], list)

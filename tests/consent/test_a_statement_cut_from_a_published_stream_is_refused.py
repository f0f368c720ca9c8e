"""Statement cut from a published stream: Veracast's own watermark, AIGC label or C2PA manifest in a "statement"
refuses it with a clear reason, even when the clip is otherwise a perfect live statement (code spoken, actions done)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from consent.models import ConsentGrant, VaultObject
from consent.screens import registered_screens
from render.engine.watermark import LumaWatermarker, content_id_for
from tests.consent.helpers import draft_grant
from tests.consent.statements import issue, live_statement, sample_video, submit, upload_sample

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def watermark_key(settings: Any, tmp_path: Path) -> bytes:
    key = os.urandom(32)
    (tmp_path / "watermark.key").write_text(key.hex())  # what init_keys writes: 64 hex digits
    settings.WATERMARK_KEY_PATH = tmp_path / "watermark.key"
    return key


def test_render_registers_its_screen_with_consent() -> None:
    from render.statement_screen import screen_generated_content

    assert screen_generated_content in registered_screens()


def test_a_clip_carrying_the_watermark_is_refused(
    personas: dict[str, Any], template: Any, client: Any, watermark_key: bytes
) -> None:
    client.force_login(personas["iris"])
    upload_sample(client, sample_video())
    grant = draft_grant(personas, template)
    issued = issue(client, grant)
    marker = LumaWatermarker(watermark_key)
    content_id = content_id_for("published-stream", 7)

    clip = live_statement(issued, luma=lambda y: marker.embed_frame(y, content_id))
    response = submit(client, grant, issued, clip)

    assert response.status_code == 400
    assert response.json()["code"] == "generated_content"
    assert "watermark" in response.json()["message"]
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_STATEMENT
    assert not VaultObject.objects.filter(kind="statement").exists()


def test_a_clip_carrying_the_aigc_label_is_refused(
    personas: dict[str, Any], template: Any, client: Any, watermark_key: bytes
) -> None:
    import av

    client.force_login(personas["iris"])
    upload_sample(client, sample_video())
    grant = draft_grant(personas, template)
    issued = issue(client, grant)
    clip = live_statement(issued)
    # Re-mux with the AIGC label as a metadata tag, as a segment carries it (render.engine.metadata).
    import io

    labelled = io.BytesIO()
    with av.open(io.BytesIO(clip)) as source, av.open(labelled, "w", format="mp4") as target:
        target.metadata["comment"] = '{"Label":"1","ContentProducer":"Veracast","ProduceID":"x"}'
        streams = {s.index: target.add_stream_from_template(s) for s in source.streams}
        for packet in source.demux():
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream.index]
            target.mux(packet)

    response = submit(client, grant, issued, labelled.getvalue())

    assert response.status_code == 400
    assert response.json()["code"] == "generated_content"
    assert "AI-generated content label" in response.json()["message"]


def test_a_clip_showing_the_visible_label_is_refused(
    personas: dict[str, Any], template: Any, client: Any, watermark_key: bytes
) -> None:
    from render.engine.label import LabelCompositor

    client.force_login(personas["iris"])
    upload_sample(client, sample_video())
    grant = draft_grant(personas, template)
    issued = issue(client, grant)
    corner, _ = LabelCompositor().plates(640, 480)

    def burn_label(y: Any) -> None:
        region = y[corner.y : corner.y + corner.height, corner.x : corner.x + corner.width]
        region[:] = (corner.y_premul + (255 - corner.alpha_y) * region + 127) // 255

    response = submit(client, grant, issued, live_statement(issued, luma=burn_label))

    assert response.status_code == 400
    assert response.json()["code"] == "generated_content"
    assert "visible AI-generated label" in response.json()["message"]

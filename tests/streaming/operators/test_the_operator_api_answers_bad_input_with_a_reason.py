"""The operator API answers bad input with a 4xx, a stable code and a sentence, and stores nothing: an empty, too long
or unknown-field interjection, a non-boolean at_once, a banned claim (400 with the finding, in Chinese when the
request asks for it), a presence timeout of 5 s, a state the console cannot set; a viewer (403), another brand
(404); hand-back without a take-over and a heartbeat on an ended stream (409). A good call answers the snapshot."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from streaming.models import Interjection, Stream
from tests.streaming.operators.helpers import live_stream

pytestmark = pytest.mark.django_db


def _answer(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return body


def test_bad_input_gets_a_reason(personas: dict[str, Any]) -> None:
    stream = live_stream(personas)
    base = f"/api/v1/streams/{stream.public_id}"
    client = APIClient()
    client.force_authenticate(personas["bob"])

    _answer(client.post(f"{base}/interjections/", {"text": ""}, format="json"), 400, "invalid")
    _answer(client.post(f"{base}/interjections/", {"text": "x" * 501}, format="json"), 400, "invalid")
    _answer(client.post(f"{base}/interjections/", {"text": "hi", "loud": True}, format="json"), 400, "unknown_field")
    _answer(client.post(f"{base}/interjections/", {"text": "hi", "at_once": "soon"}, format="json"), 400, "invalid")
    _answer(client.post(f"{base}/interjections/", {"text": "   "}, format="json"), 400, "interjection_empty")
    refused = _answer(
        client.post(
            f"{base}/interjections/",
            {"text": "它能治愈癌症", "language": "zh"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ),
        400,
        "interjection_refused",
    )
    assert refused["message"].startswith("这句话被拒绝：")
    assert refused["findings"][0]["rule"] == "CN-AD-MEDICAL-NONMED"
    assert Interjection.objects.get().state == "refused"

    body = _answer(
        client.put(f"{base}/presence-timeout/", {"seconds": 5}, format="json"), 400, "invalid_presence_timeout"
    )
    assert "10 to 300" in body["message"]
    _answer(client.post(f"{base}/operator-state/", {"to": "draft"}, format="json"), 400, "invalid")
    _answer(client.post(f"{base}/takeover/hand-back/", {}, format="json"), 409, "no_takeover")

    accepted = client.post(
        f"{base}/interjections/", {"text": "Thanks for the questions!", "at_once": True}, format="json"
    )
    assert accepted.status_code == 201
    assert (accepted.json()["state"], accepted.json()["at_once"]) == ("accepted", True)
    assert client.post(f"{base}/heartbeat/", {}, format="json").json()["present"] is True
    assert client.post(f"{base}/takeover/", {"reason": "phone call"}, format="json").status_code == 201
    snapshot = client.get(f"{base}/console/").json()
    assert snapshot["takeover"]["active"] is True
    assert snapshot["presence"]["present"] is True
    assert snapshot["can_operate"] is True
    assert snapshot["next_line"]["text"] == "Hello everyone, welcome!"
    assert snapshot["ledger"][0]["kind"] == "stream.taken_over"

    client.force_authenticate(personas["victor"])
    _answer(client.post(f"{base}/heartbeat/", {}, format="json"), 403, "operator_not_assigned")
    zh = _answer(
        client.post(f"{base}/heartbeat/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"),
        403,
        "operator_not_assigned",
    )
    assert zh["message"] == "场控未被指派到本场直播。"
    assert client.get(f"{base}/console/").json()["can_operate"] is False
    client.force_authenticate(personas["charlie"])
    _answer(client.post(f"{base}/heartbeat/", {}, format="json"), 404, "not_found")

    client.force_authenticate(personas["bob"])
    client.post(f"{base}/operator-state/", {"to": "ended", "reason": "done"}, format="json")
    assert Stream.objects.get(pk=stream.pk).state == "ended"
    _answer(client.post(f"{base}/heartbeat/", {}, format="json"), 409, "stream_over")
    assert Interjection.objects.count() == 2

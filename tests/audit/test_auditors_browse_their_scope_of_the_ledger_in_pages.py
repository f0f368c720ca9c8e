"""The ledger browser: an organisation's auditor filters its events by subject, kind and time, pages through them by
keyset (no event twice, none skipped), opens one with its canonical payload, chain neighbours, checkpoint and proof,
and the server-side verify answers for browsers without Ed25519; another organisation's event is 404, a viewer 403,
and a visitor is sent to sign in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import LedgerEvent
from audit.services import EventSpec, create_checkpoint, record_event, record_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(personas: dict[str, Any], ledger_keys: Any) -> dict[str, Any]:
    acme, globex = personas["acme"], personas["globex"]
    stream = record_events(
        events=[
            EventSpec(kind="audit.test", subject="stream:acme-1", payload={"n": n}, organisation=acme)
            for n in range(60)
        ]
    )
    other = record_event(kind="audit.other", subject="stream:acme-2", payload={"x": "ü"}, actor=None, organisation=acme)
    foreign = record_event(kind="audit.test", subject="stream:globex-1", payload={}, actor=None, organisation=globex)
    create_checkpoint()
    late = record_event(kind="audit.test", subject="stream:acme-1", payload={"n": 60}, actor=None, organisation=acme)
    return {"stream": stream, "other": other, "foreign": foreign, "late": late}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ids(response: Any) -> list[int]:
    return [event.pk for event in response.context["events"]]


def test_an_auditor_filters_and_pages_through_her_organisations_events(
    personas: dict[str, Any], ledger: dict[str, Any]
) -> None:
    audrey = _client(personas["audrey"])

    first = audrey.get("/ledger/", {"subject": "stream:acme-1"})
    assert first.status_code == 200
    assert _ids(first) == sorted((e.pk for e in [*ledger["stream"], ledger["late"]]), reverse=True)[:50]
    older = first.context["older"]
    second = audrey.get("/ledger/", older)
    assert _ids(second) == sorted((e.pk for e in ledger["stream"]), reverse=True)[49:]
    assert second.context["older"] is None
    back = audrey.get("/ledger/", second.context["newer"])
    assert _ids(back) == _ids(first)

    assert _ids(audrey.get("/ledger/", {"kind": "audit.other"})) == [ledger["other"].pk]
    everything = _ids(audrey.get("/ledger/", {"kind": "audit.test"}))
    assert ledger["foreign"].pk not in everything
    assert len(everything) == 50
    future = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert _ids(audrey.get("/ledger/", {"since": future})) == []
    assert ledger["late"].pk in _ids(audrey.get("/ledger/", {"until": future, "kind": "audit.test"}))
    # With a time filter the pages follow (recorded_at, id): the same events, none twice, none skipped.
    timed = audrey.get("/ledger/", {"subject": "stream:acme-1", "until": future})
    assert _ids(timed) == _ids(first)
    assert _ids(audrey.get("/ledger/", timed.context["older"])) == _ids(second)
    bad = audrey.get("/ledger/", {"since": "yesterday"})
    assert bad.status_code == 400
    assert "not a date and time" in bad.content.decode()


def test_an_auditor_opens_an_event_with_its_proof_and_the_server_verifies_it(
    personas: dict[str, Any], ledger: dict[str, Any]
) -> None:
    audrey = _client(personas["audrey"])
    event: LedgerEvent = ledger["stream"][5]

    page = audrey.get(f"/ledger/events/{event.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert event.hash in html
    assert event.prev_hash in html
    assert "{&quot;n&quot;:5}" in html  # the canonical payload, as hashed (HTML-escaped)
    assert page.context["previous"].seq == event.seq - 1
    assert page.context["next"].seq == event.seq + 1
    assert page.context["proof"]["checkpoint"]["first_event_id"] <= event.pk
    assert 'id="ledger-verification"' in html
    assert "audit/ledger_verify.js" in html
    assert "<script>" not in html  # no inline script under the CSP
    assert audrey.get(f"/ledger/events/{event.pk}/verify/").json() == {"proof_ok": True, "signature_ok": True}

    uncovered = audrey.get(f"/ledger/events/{ledger['late'].pk}/")
    assert uncovered.context["proof"] is None
    assert audrey.get(f"/ledger/events/{ledger['late'].pk}/verify/").status_code == 409


def test_outside_ones_scope_the_ledger_is_404_or_403(personas: dict[str, Any], ledger: dict[str, Any]) -> None:
    foreign = ledger["foreign"].pk
    assert _client(personas["audrey"]).get(f"/ledger/events/{foreign}/").status_code == 404
    assert _client(personas["audrey"]).get(f"/ledger/events/{foreign}/verify/").status_code == 404
    assert _client(personas["charlie"]).get(f"/ledger/events/{foreign}/").status_code == 200
    assert _client(personas["sam"]).get(f"/ledger/events/{foreign}/").status_code == 200
    assert _client(personas["victor"]).get("/ledger/").status_code == 403
    assert _client(personas["iris"]).get(f"/ledger/events/{foreign}/").status_code == 403
    anonymous = Client().get("/ledger/")
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]

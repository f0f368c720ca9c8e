from __future__ import annotations

from typing import Any

from audit.models import LedgerEvent
from audit.services import EventSpec, record_event, record_events
from audit.verify import Report, verify_events


def test_a_batch_chains_each_subject_in_the_given_order(db: Any) -> None:
    record_event(kind="k", subject="stream:a", payload={"i": 0}, actor=None)

    events = record_events(
        events=[EventSpec(kind="k", subject=f"stream:{'ab'[i % 2]}", payload={"i": i}, actor=None) for i in range(1, 7)]
    )

    a_events = [e for e in events if e.subject == "stream:a"]
    b_events = [e for e in events if e.subject == "stream:b"]
    assert [e.seq for e in a_events] == [2, 3, 4]
    assert [e.seq for e in b_events] == [1, 2, 3]
    assert [e.payload_data["i"] for e in a_events] == [2, 4, 6]
    assert a_events[1].prev_hash == a_events[0].hash
    assert [e.pk for e in events] == sorted(e.pk for e in events)


def test_a_batch_is_stored_exactly_as_returned_and_verifies(db: Any) -> None:
    events = record_events(
        events=[EventSpec(kind="k", subject=f"stream:{i % 5}", payload={"i": i}) for i in range(1200)]
    )

    stored = {e.pk: e.hash for e in LedgerEvent.objects.all()}
    assert stored == {e.pk: e.hash for e in events}
    report = Report()
    verify_events(LedgerEvent.objects.order_by("id").values(), report)
    assert report.ok, report.problems[:3]
    assert report.subjects == 5


def test_an_empty_batch_records_nothing(db: Any) -> None:
    assert record_events(events=[]) == []
    assert not LedgerEvent.objects.exists()

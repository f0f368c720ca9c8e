from __future__ import annotations

import hashlib
from datetime import timedelta

from render.engine.c2pa_sign import TRAINED_ALGORITHMIC_MEDIA, read_segment, verify_segment_chain
from render.engine.segment import DISCLOSURE_LINE_ID
from tests.render.engine.stream.rendered import CONSENT, ON_AIR, STREAM_ID, rendered


def test_every_segment_is_trusted_against_the_development_root_and_the_chain_links_up() -> None:
    stream = rendered()
    reports = [
        read_segment((stream.directory / r.uri).read_bytes(), trust_anchor_path=stream.pki.root_cert)
        for r in stream.results
    ]
    assert {r.state for r in reports} == {"Trusted"}
    assert verify_segment_chain(reports, stream_id=STREAM_ID) == []
    for report, result in zip(reports, stream.results, strict=True):
        assert report.manifest_id == result.record.manifest_id
        actions = (
            report.assertions["c2pa.actions.v2"]["actions"]
            if "c2pa.actions.v2" in report.assertions
            else (report.assertions["c2pa.actions"]["actions"])
        )
        assert actions[0]["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
        assert report.assertions["com.veracast.consent"]["consent_grant_id"] == CONSENT.grant_id


def test_a_flipped_byte_makes_a_segment_invalid() -> None:
    stream = rendered()
    data = bytearray((stream.directory / stream.results[1].uri).read_bytes())
    data[-500] ^= 0x01
    assert read_segment(bytes(data), trust_anchor_path=stream.pki.root_cert).state == "Invalid"


def test_each_ledger_record_describes_the_stored_segment() -> None:
    stream = rendered()
    previous = None
    covered: list[str] = []
    for sequence, result in enumerate(stream.results):
        record = result.record
        assert record.sequence == sequence
        assert record.sha256 == hashlib.sha256((stream.directory / result.uri).read_bytes()).hexdigest()
        assert record.duration == 2.0
        assert record.previous_manifest_id == previous
        assert record.consent_grant_id == CONSENT.grant_id
        assert record.plan_fingerprint == stream.plan.fingerprint
        previous = record.manifest_id
        covered += record.script_line_ids
        assert record.ledger_payload()["sha256"] == record.sha256
    assert stream.results[0].record.disclosure is True
    assert sorted(set(covered)) == [DISCLOSURE_LINE_ID, "line-1", "line-2"]
    # Every spoken line has an id, the opening disclosure included: it comes first.
    assert stream.results[0].record.script_line_ids[0] == DISCLOSURE_LINE_ID
    assert [s.record.wall_clock_start - ON_AIR for s in stream.results] == [
        timedelta(seconds=2 * n) for n in range(len(stream.results))
    ]

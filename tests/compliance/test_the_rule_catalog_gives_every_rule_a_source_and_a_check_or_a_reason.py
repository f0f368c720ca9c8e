from __future__ import annotations

import pytest


def test_the_rule_catalog_gives_every_rule_a_source_and_a_check_or_a_reason() -> None:
    from compliance.catalog import load_catalog
    from compliance.checks import CHECKS, ORGANISATION_CHECKS, STREAM_CHECKS

    rules = load_catalog()

    assert len(rules) >= 25
    for rule in rules:
        assert rule.instrument, rule.id
        assert rule.article, rule.id
        assert rule.effective, rule.id
        assert rule.status in ("V", "S", "U")
        if rule.check is None:
            assert rule.reason_en, rule.id
            assert rule.reason_zh, rule.id
        else:
            assert rule.check in (STREAM_CHECKS if rule.scope == "stream" else ORGANISATION_CHECKS), rule.id
    # Every check is used by some rule: none is dead code.
    assert {r.check for r in rules if r.check} == set(CHECKS)


def test_a_rule_naming_an_unknown_check_is_refused() -> None:
    from compliance.catalog import CatalogError, parse_catalog

    text = """
rules:
  - {id: X-1, status: V, instrument: I, article: A, effective: "2025", requirement_en: e, requirement_zh: z,
     scope: stream, check: no_such_check}
"""
    with pytest.raises(CatalogError, match="X-1: unknown check 'no_such_check'"):
        parse_catalog(text, known_checks=frozenset({"label_height"}))


def test_a_rule_without_a_check_needs_a_reason() -> None:
    from compliance.catalog import CatalogError, parse_catalog

    text = """
rules:
  - {id: X-2, status: S, instrument: I, article: A, effective: "2025", requirement_en: e, requirement_zh: z,
     scope: organisation, check: null}
"""
    with pytest.raises(CatalogError, match="X-2: a rule without a check needs a reason"):
        parse_catalog(text)

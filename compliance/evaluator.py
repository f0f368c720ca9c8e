"""The evaluator: every catalog rule against one stream or an organisation over a period, with evidence.

A stream rule over an organisation is the worst of its streams: fail if any stream fails, pass if every stream in the
period passes, not applicable without streams. Rules without a check are listed as not checkable with the reason.

Detail sentences are gettext'd when the checks run, so an evaluation speaks the active language: the portal's
request language, the PDF's chosen one, English (LANGUAGE_CODE) in tasks and the bundle."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Organisation
from compliance import checks
from compliance.catalog import Rule, catalog_version, load_catalog
from compliance.facts import OrganisationFacts, StreamFacts, load_stream
from render.models import RenderJob

_ORDER = {checks.FAIL: 0, checks.PASS: 1, checks.NOT_APPLICABLE: 2, checks.NOT_CHECKABLE: 3}


@dataclass(frozen=True)
class StreamResult:
    stream_id: str
    outcome: checks.Outcome


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    outcome: checks.Outcome
    streams: tuple[StreamResult, ...] = ()

    @property
    def result(self) -> str:
        return self.outcome.result


@dataclass
class Evaluation:
    organisation: Organisation
    since: datetime | None
    until: datetime | None
    stream_id: str  # empty: the whole organisation
    catalog_version: str
    results: list[RuleResult] = field(default_factory=list)
    streams: list[StreamFacts] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(_ORDER, 0)
        for result in self.results:
            totals[result.result] += 1
        return totals


def jobs_in_scope(
    organisation: Organisation, *, since: datetime | None, until: datetime | None, stream_id: str = ""
) -> list[RenderJob]:
    """The organisation's render jobs that ran in [since, until) (by start, else creation), one if stream_id given."""
    jobs = RenderJob.objects.filter(brand=organisation).select_related("avatar", "brand", "grant")
    if stream_id:
        jobs = jobs.filter(stream_id=stream_id)
    if since is not None:
        jobs = jobs.filter(Q(started_at__gte=since) | Q(started_at__isnull=True, created_at__gte=since))
    if until is not None:
        jobs = jobs.filter(Q(started_at__lt=until) | Q(started_at__isnull=True, created_at__lt=until))
    return list(jobs.order_by("created_at", "id"))


def _combine(outcomes: list[StreamResult]) -> checks.Outcome:
    if not outcomes:
        return checks.Outcome(checks.NOT_APPLICABLE, _("No stream in the period."), ())
    if len(outcomes) == 1:
        return outcomes[0].outcome
    failed = [o for o in outcomes if o.outcome.result == checks.FAIL]
    if failed:
        detail = _("%(failed)s of %(total)s streams fail; first: %(detail)s") % {
            "failed": len(failed),
            "total": len(outcomes),
            "detail": failed[0].outcome.detail,
        }
        refs = dict.fromkeys(ref for o in failed[:3] for ref in o.outcome.evidence[:3])
        return checks.Outcome(checks.FAIL, detail, tuple(refs))
    passed = [o for o in outcomes if o.outcome.result == checks.PASS]
    if not passed:
        return checks.Outcome(checks.NOT_APPLICABLE, outcomes[0].outcome.detail, ())
    return checks.Outcome(
        checks.PASS,
        _("%(passed)s of %(total)s streams pass; %(detail)s")
        % {"passed": len(passed), "total": len(outcomes), "detail": passed[0].outcome.detail},
        tuple(dict.fromkeys(ref for o in passed[:3] for ref in o.outcome.evidence[:2])),
    )


def evaluate(
    *,
    organisation: Organisation,
    since: datetime | None = None,
    until: datetime | None = None,
    stream_id: str = "",
) -> Evaluation:
    streams = [load_stream(job) for job in jobs_in_scope(organisation, since=since, until=until, stream_id=stream_id)]
    org_facts = OrganisationFacts(organisation=organisation, since=since, until=until, streams=streams)
    evaluation = Evaluation(
        organisation=organisation,
        since=since,
        until=until,
        stream_id=stream_id,
        catalog_version=catalog_version(),
        streams=streams,
    )
    for rule in load_catalog():
        if rule.check is None:
            # The reason in the reader's language (the catalog carries both).
            reason = rule.reason_zh if (get_language() or "").startswith("zh") and rule.reason_zh else rule.reason_en
            evaluation.results.append(RuleResult(rule, checks.Outcome(checks.NOT_CHECKABLE, reason, ())))
        elif rule.scope == "organisation":
            evaluation.results.append(RuleResult(rule, checks.ORGANISATION_CHECKS[rule.check](org_facts)))
        else:
            per_stream = tuple(StreamResult(s.stream_id, checks.STREAM_CHECKS[rule.check](s)) for s in streams)
            evaluation.results.append(RuleResult(rule, _combine(list(per_stream)), per_stream))
    # Failing rules first, then passes, then not applicable, then what software cannot check; catalog order within.
    evaluation.results.sort(key=lambda r: _ORDER[r.result])
    return evaluation

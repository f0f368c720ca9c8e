"""Reads of metered licence usage (streaming/metering.py) for invoices and revenue share: one row per grant, brand
and local day with live minutes, segments and distinct script versions, scoped to a brand (its own) or to an
influencer (hers). Two queries whatever the range: the day totals, and the distinct scripts per day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import InfluencerProfile, Organisation
from common.api import DomainError
from streaming.metering import hours_per_day
from streaming.models import LiveUsageDay, LiveUsageSegment

# A range of at most this many days per export (a year of invoices); longer asks are refused with a reason.
MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30


@dataclass(frozen=True)
class UsageRow:
    day: date
    grant_id: str
    influencer: str
    brand_id: str
    brand: str
    milliseconds: int
    segments: int
    scripts: int
    hours_per_day: int | None

    @property
    def minutes(self) -> Decimal:
        return (Decimal(self.milliseconds) / Decimal(60000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.milliseconds) / Decimal(3600000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def share_of_limit(self) -> int | None:
        """Per cent of the day's allowance used (may exceed 100 only if the limit was lowered by a new grant)."""
        if not self.hours_per_day:
            return None
        share = Decimal(self.milliseconds * 100) / Decimal(self.hours_per_day * 3600000)
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _parse_day(value: str, *, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(
            _("%(field)s must be a date written YYYY-MM-DD, such as 2026-03-01 (got “%(value)s”).")
            % {"field": field, "value": value[:40]},
            code="invalid_date",
            status_code=400,
        ) from None


def parse_date_range(start: str | None, end: str | None, *, today: date) -> tuple[date, date]:
    """The inclusive [from, to] of an export; missing ends default to the last 30 days up to `today`."""
    last = _parse_day(end, field="to") if end else today
    first = _parse_day(start, field="from") if start else last - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if first > last:
        raise DomainError(
            "The range starts after it ends: from must not be after to.", code="invalid_date_range", status_code=400
        )
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise DomainError(
            _("A range spans at most %(days)s days; ask for a shorter one.") % {"days": MAX_RANGE_DAYS},
            code="date_range_too_long",
            status_code=400,
        )
    return first, last


def usage_rows(
    *,
    start: date,
    end: date,
    organisation: Organisation | None = None,
    influencer: InfluencerProfile | None = None,
) -> list[UsageRow]:
    """Usage per grant, brand and day in [start, end], oldest day first; narrowed to one brand and/or influencer."""
    scope = Q(day__gte=start, day__lte=end)
    if organisation is not None:
        scope &= Q(organisation=organisation)
    if influencer is not None:
        scope &= Q(grant__influencer=influencer)
    scripts = {
        (row["grant_id"], row["organisation_id"], row["day"]): row["n"]
        for row in LiveUsageSegment.objects.filter(scope)
        .values("grant_id", "organisation_id", "day")
        .annotate(n=Count("script_version", distinct=True))
        .order_by()
    }
    days = (
        LiveUsageDay.objects.filter(scope)
        .select_related("grant__influencer", "organisation")
        .order_by("day", "organisation__name", "grant_id")
    )
    return [
        UsageRow(
            day=d.day,
            grant_id=str(d.grant.public_id),
            influencer=d.grant.influencer.stage_name,
            brand_id=str(d.organisation.public_id),
            brand=d.organisation.name,
            milliseconds=d.milliseconds,
            segments=d.segments,
            scripts=scripts.get((d.grant_id, d.organisation_id, d.day), 0),
            hours_per_day=hours_per_day(d.grant),
        )
        for d in days
    ]

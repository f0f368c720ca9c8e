"""Pages of licence usage: the brand's dashboard (streams by state, today's live hours, recent incidents, usage per
day with its CSV) and the influencer's "my likeness" page (her avatars and every use of them, her usage per day
against her licence, its CSV). Thin views over streaming/brand_dashboard.py, likeness_selectors.py and
usage_selectors.py. A bad date range is a 400 that says why (the page shows the sentence; the CSV answers it as
text), never a 500."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import InfluencerProfile, User
from accounts.selectors import get_visible_organisation
from common.api import DomainError
from streaming.brand_dashboard import DASHBOARD_TIME_ZONE, brand_dashboard
from streaming.likeness_selectors import likeness_overview
from streaming.metering import local_day
from streaming.usage_csv import file_name, usage_csv
from streaming.usage_selectors import parse_date_range, usage_rows


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _today() -> date:
    return local_day(timezone.now(), DASHBOARD_TIME_ZONE)


def _range(request: HttpRequest) -> tuple[date, date]:
    return parse_date_range(request.GET.get("from") or None, request.GET.get("to") or None, today=_today())


def _influencer(request: HttpRequest) -> InfluencerProfile:
    profile = InfluencerProfile.objects.filter(user=_user(request)).first()
    if profile is None:
        raise Http404("Only an influencer has a likeness page.")
    return profile


def _refused(error: DomainError) -> HttpResponse:
    return HttpResponse(str(error.detail), status=error.status_code, content_type="text/plain; charset=utf-8")


def csv_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def dashboard(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    brand = get_visible_organisation(_user(request), public_id)
    status, error = 200, ""
    try:
        start, end = _range(request)
    except DomainError as refusal:
        status, error = refusal.status_code, str(refusal.detail)
        start, end = parse_date_range(None, None, today=_today())
    context = {
        "brand": brand,
        **brand_dashboard(brand, now=timezone.now()),
        "usage": usage_rows(organisation=brand, start=start, end=end),
        "start": start,
        "end": end,
        "range_error": error,
    }
    return render(request, "streaming/brand_dashboard.html", context, status=status)


@login_required
@require_GET
def brand_usage_csv(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    brand = get_visible_organisation(_user(request), public_id)
    try:
        start, end = _range(request)
    except DomainError as refusal:
        return _refused(refusal)
    rows = usage_rows(organisation=brand, start=start, end=end)
    return csv_response(usage_csv(rows), file_name(brand.slug, start.isoformat(), end.isoformat()))


@login_required
@require_GET
def my_likeness(request: HttpRequest) -> HttpResponse:
    influencer = _influencer(request)
    status, error = 200, ""
    try:
        start, end = _range(request)
    except DomainError as refusal:
        status, error = refusal.status_code, str(refusal.detail)
        start, end = parse_date_range(None, None, today=_today())
    context = {**likeness_overview(influencer, start=start, end=end), "range_error": error}
    return render(request, "streaming/my_likeness.html", context, status=status)


@login_required
@require_GET
def my_usage_csv(request: HttpRequest) -> HttpResponse:
    influencer = _influencer(request)
    try:
        start, end = _range(request)
    except DomainError as refusal:
        return _refused(refusal)
    rows = usage_rows(influencer=influencer, start=start, end=end)
    return csv_response(usage_csv(rows), file_name(str(influencer.public_id), start.isoformat(), end.isoformat()))

"""Licence usage as CSV over the API (invoicing and revenue share): a brand's own usage, and an influencer's own.
The same rows and format as the pages' downloads (streaming/usage_csv.py); `from` and `to` are YYYY-MM-DD, at most
366 days apart, the last 30 days when left out; a bad date is a 400 with the shared error body."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import InfluencerProfile, User
from accounts.selectors import get_visible_organisation
from streaming.brand_dashboard import DASHBOARD_TIME_ZONE
from streaming.metering import local_day
from streaming.usage_csv import file_name, usage_csv
from streaming.usage_pages import csv_response
from streaming.usage_selectors import parse_date_range, usage_rows

RANGE = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=False, description="First day (YYYY-MM-DD), inclusive."),
    OpenApiParameter("to", OpenApiTypes.DATE, required=False, description="Last day (YYYY-MM-DD), inclusive."),
]


def _today() -> date:
    return local_day(timezone.now(), DASHBOARD_TIME_ZONE)


class BrandUsageCsvView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(parameters=RANGE, responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, public_id: str) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        brand = get_visible_organisation(user, public_id)
        start, end = parse_date_range(
            request.query_params.get("from") or None, request.query_params.get("to") or None, today=_today()
        )
        rows = usage_rows(organisation=brand, start=start, end=end)
        return csv_response(usage_csv(rows), file_name(brand.slug, start.isoformat(), end.isoformat()))


class MyUsageCsvView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        parameters=RANGE,
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            404: OpenApiResponse(description="`not_found`: the signed-in person is not an influencer."),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        influencer = InfluencerProfile.objects.filter(user=user).first()
        if influencer is None:
            raise Http404("Only an influencer has licence usage.")
        start, end = parse_date_range(
            request.query_params.get("from") or None, request.query_params.get("to") or None, today=_today()
        )
        rows = usage_rows(influencer=influencer, start=start, end=end)
        return csv_response(usage_csv(rows), file_name(str(influencer.public_id), start.isoformat(), end.isoformat()))

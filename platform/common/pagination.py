"""Pagination whose `limit` and `offset` stay inside what the database accepts.

DRF's LimitOffsetPagination passes any positive integer through, and PostgreSQL refuses a LIMIT or OFFSET beyond
a bigint: `?limit=2205224198480976936960` was a 500 (found by the schemathesis run). Larger values are clamped,
which changes no answer: past the last row a page is empty either way.
"""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

MAX_OFFSET = 2**62


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 1000

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)

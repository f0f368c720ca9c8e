"""Rows for tests/api/test_authorization_matrix.py covering the consent API (to be merged there by its owner:
`MATRIX.update(consent_rows(Row, _statuses, _acme))`).

The matrix's context holds no grant, so grant routes address a grant that does not exist: everyone who passes the
view's permissions gets 404 (auditors are refused every write first, with 403). Uploads check their body length
before anything else, so an empty body gets 411.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MISSING = "00000000-0000-4000-8000-000000000000"


def consent_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]], acme: Callable[..., Any]) -> dict:
    grant = {"kwargs": lambda ctx: {"grant_id": MISSING}}
    template = {"kwargs": lambda ctx: {"template_id": MISSING}}
    auditors_refused = {"audrey": 403, "paula": 403}
    staff_only = statuses(403, sam=404)
    return {
        ("consent-api:templates", "GET"): row(statuses(200)),
        ("consent-api:templates", "POST"): row(statuses(403, sam=400)),
        ("consent-api:template-publish", "POST"): row(staff_only, **template),
        ("consent-api:template-revise", "POST"): row(staff_only, **template),
        ("consent-api:passkey-options", "POST"): row(statuses(403, iris=200)),
        ("consent-api:passkeys", "POST"): row(statuses(400, **auditors_refused)),
        ("consent-api:api-keys", "POST"): row(statuses(400, **auditors_refused)),
        ("consent-api:samples", "POST"): row(statuses(411, **auditors_refused)),
        ("consent-api:grants", "GET"): row(statuses(200)),
        ("consent-api:grants", "POST"): row(statuses(400, **auditors_refused)),
        ("consent-api:grant-detail", "GET"): row(statuses(404), **grant),
        ("consent-api:grant-statement-challenge", "POST"): row(statuses(404, **auditors_refused), **grant),
        ("consent-api:grant-statement", "POST"): row(statuses(411, **auditors_refused), **grant),
        ("consent-api:grant-sign-options", "GET"): row(statuses(404), **grant),
        ("consent-api:grant-sign", "POST"): row(statuses(404, **auditors_refused), **grant),
        ("consent-api:grant-revoke-options", "GET"): row(statuses(404), **grant),
        ("consent-api:grant-revoke", "POST"): row(statuses(404, **auditors_refused), **grant),
        ("consent-api:grant-receipt", "GET"): row(statuses(404), **grant),
        ("consent-api:grant-review", "POST"): row(staff_only, **grant),
        ("consent-api:review-queue", "GET"): row(statuses(403, sam=200)),
        ("consent-api:brand-grants", "GET"): row(
            statuses(200, charlie=404, iris=404), kwargs=lambda ctx: {"organisation_id": ctx["acme"].public_id}
        ),
    }

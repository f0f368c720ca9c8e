"""Rows for tests/api/test_authorization_matrix.py covering the impact-assessment API. An influencer's assessments
are read by staff (sam), platform auditors (paula) and herself (iris): 200; anyone else meets 404 (her existence is
not confirmed). Writing and approving is staff's: the other readers get 403 `staff_required`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BODY = {
    "purpose_codes": ["livestream_ecommerce"],
    "modalities": ["face_likeness"],
    "purposes": "matrix",
    "data_categories": "face video",
    "necessity": "needed",
    "impact": "misuse",
    "measures": "gate",
}


def _iris(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"influencer_id": ctx["iris"].influencer.public_id}


def _draft(ctx: dict[str, Any]) -> dict[str, Any]:
    from compliance.assessments import save_influencer_assessment

    if "draft_assessment" not in ctx:
        ctx["draft_assessment"] = save_influencer_assessment(
            influencer=ctx["iris"].influencer, actor=ctx["sam"], values=BODY
        )
    return {"assessment_id": ctx["draft_assessment"].public_id}


def compliance_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]]) -> dict:
    read = statuses(404, sam=200, paula=200, iris=200)
    write = statuses(404, sam=201, paula=403, iris=403)
    return {
        ("compliance-api:influencer-assessments", "GET"): row(read, kwargs=_iris),
        ("compliance-api:influencer-assessments", "POST"): row(write, kwargs=_iris, body=lambda ctx, p: BODY),
        ("compliance-api:assessment-detail", "GET"): row(read, kwargs=_draft),
        ("compliance-api:assessment-approve", "POST"): row(statuses(404, sam=200, paula=403, iris=403), kwargs=_draft),
    }

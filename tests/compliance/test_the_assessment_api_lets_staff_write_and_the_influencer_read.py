"""The impact-assessment API: staff create and approve an influencer's assessment; she lists hers; a brand owner
gets 404 for her (her existence is not confirmed) and a non-staff writer 403 `staff_required`; an unknown modality
is a 400 with its code."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

BODY = {
    "purpose_codes": ["short_video"],
    "modalities": ["face_likeness"],
    "purposes": "Short videos",
    "data_categories": "face video",
    "necessity": "needed",
    "impact": "misuse",
    "measures": "consent gate",
}


def test_the_assessment_api_lets_staff_write_and_the_influencer_read(personas: dict[str, Any]) -> None:
    iris = personas["iris"].influencer
    url = f"/api/v1/compliance/influencers/{iris.public_id}/assessments/"
    api = APIClient()

    api.force_authenticate(personas["sam"])
    bad = api.post(url, {**BODY, "modalities": ["fingerprint"]}, format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "modalities_unknown"
    created = api.post(url, BODY, format="json")
    assert created.status_code == 201
    assessment_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    approved = api.post(f"/api/v1/compliance/assessments/{assessment_id}/approve/", format="json")
    assert approved.status_code == 200
    assert approved.json()["retention_class"] == "3Y_MIN"
    again = api.post(f"/api/v1/compliance/assessments/{assessment_id}/approve/", format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_approved"

    api.force_authenticate(personas["iris"])
    mine = api.get(url)
    assert mine.status_code == 200
    assert assessment_id in [row["id"] for row in mine.json()]
    refused = api.post(url, BODY, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "staff_required"

    api.force_authenticate(personas["alice"])
    assert api.get(url).status_code == 404
    assert api.get(f"/api/v1/compliance/assessments/{assessment_id}/").status_code == 404

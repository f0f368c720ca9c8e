from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

FIELDS = {
    "purposes": "AI livestream clone of Iris",
    "data_categories": "face video, voiceprint",
    "necessity": "Needed to build the clone",
    "impact": "Likeness misuse",
    "measures": "Consent gate, vault, labels",
}


def test_an_owner_fills_in_and_approves_the_assessment_in_the_page(client: Client, personas: dict[str, Any]) -> None:
    from audit.models import LedgerEvent
    from compliance.models import ImpactAssessment

    client.force_login(personas["alice"])
    url = reverse("compliance:assessment", args=["acme"])

    incomplete = client.post(url, {**FIELDS, "impact": " "})
    assert incomplete.status_code == 400
    assert "Fill in every part of the assessment." in incomplete.content.decode()

    assert client.post(url, FIELDS).status_code == 302
    assessment = ImpactAssessment.objects.get(organisation=personas["acme"])
    assert assessment.status == "draft"

    approve = reverse("compliance:approve-assessment", args=["acme", assessment.public_id])
    assert client.post(approve).status_code == 302

    assessment.refresh_from_db()
    assert assessment.status == "approved"
    assert assessment.approved_by == personas["alice"]
    kinds = list(LedgerEvent.objects.filter(kind__startswith="compliance.pia").values_list("kind", flat=True))
    assert kinds == ["compliance.pia_saved", "compliance.pia_approved"]
    assert "approved on" in client.get(reverse("compliance:dashboard", args=["acme"])).content.decode()


def test_an_auditor_may_read_the_assessments_but_not_write_one(client: Client, personas: dict[str, Any]) -> None:
    from compliance.models import ImpactAssessment

    client.force_login(personas["audrey"])

    response = client.post(reverse("compliance:assessment", args=["acme"]), FIELDS)

    assert response.status_code == 403
    assert "platform staff may write its assessment" in response.content.decode()
    assert not ImpactAssessment.objects.exists()

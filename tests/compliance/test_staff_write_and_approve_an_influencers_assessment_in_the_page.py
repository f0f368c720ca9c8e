"""The impact assessment is per influencer (PIPL Arts. 55-56): platform staff write it on her page (purposes and
modalities it covers, the five parts), approve it, and the ledger says both under her subject with the document's
hash; she reads it on the same page and downloads the document whose hash is on file; a brand owner may not write
one and cannot open hers."""

from __future__ import annotations

import hashlib
from typing import Any

from django.test import Client
from django.urls import reverse

FIELDS = {
    "purpose_codes": ["livestream_ecommerce"],
    "modalities": ["face_likeness", "voice"],
    "purposes": "AI livestream clone of Iris",
    "data_categories": "face video, voiceprint",
    "necessity": "Needed to build the clone",
    "impact": "Likeness misuse",
    "measures": "Consent gate, vault, labels",
}


def test_staff_write_and_approve_an_influencers_assessment_in_the_page(
    client: Client, personas: dict[str, Any]
) -> None:
    from audit.models import LedgerEvent
    from compliance.models import ImpactAssessment

    iris = personas["iris"].influencer
    client.force_login(personas["sam"])
    url = reverse("compliance:influencer-assessment", args=[iris.public_id])

    incomplete = client.post(url, {**FIELDS, "impact": " "})
    assert incomplete.status_code == 400
    assert "Fill in every part of the assessment." in incomplete.content.decode()
    no_modality = client.post(url, {**FIELDS, "modalities": []})
    assert no_modality.status_code == 400

    assert client.post(url, FIELDS).status_code == 302
    draft = ImpactAssessment.objects.filter(influencer=iris, status="draft").get()
    assert draft.modalities == ["face_likeness", "voice"]
    assert draft.purpose_codes == ["livestream_ecommerce"]

    approve = reverse("compliance:approve-influencer-assessment", args=[iris.public_id, draft.public_id])
    assert client.post(approve).status_code == 302

    draft.refresh_from_db()
    assert draft.status == "approved"
    assert draft.approved_by == personas["sam"]
    assert draft.retain_until is not None
    assert (draft.retain_until - draft.approved_at).days >= 3 * 365
    approved = LedgerEvent.objects.filter(
        subject=f"influencer:{iris.public_id}", kind="compliance.influencer_pia_approved"
    ).last()
    assert approved is not None
    assert approved.payload_data["assessment"] == str(draft.public_id)
    assert approved.payload_data["sha256"] == draft.sha256

    # She reads it, and the document she downloads is the one the hash is of.
    client.force_login(personas["iris"])
    page = client.get(url).content.decode()
    assert "Consent gate, vault, labels" in page
    assert 'data-testid="pia-form"' not in page
    document = client.get(reverse("compliance:influencer-assessment-document", args=[iris.public_id, draft.public_id]))
    assert document.status_code == 200
    assert hashlib.sha256(document.content).hexdigest() == draft.sha256
    assert client.post(url, FIELDS).status_code == 403


def test_a_brand_owner_may_neither_write_nor_open_an_influencers_assessment(
    client: Client, personas: dict[str, Any]
) -> None:
    from compliance.models import ImpactAssessment

    iris = personas["iris"].influencer
    before = ImpactAssessment.objects.count()
    client.force_login(personas["alice"])

    response = client.post(reverse("compliance:influencer-assessment", args=[iris.public_id]), FIELDS)

    assert response.status_code == 404
    assert ImpactAssessment.objects.count() == before
    assert client.get(reverse("compliance:influencers")).status_code == 403

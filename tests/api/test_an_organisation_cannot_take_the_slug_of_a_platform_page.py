"""A brand's slug is a path segment of its compliance pages (/compliance/<slug>/); the platform's own pages at that
depth (/compliance/holds/, /compliance/influencers/) come first, so such a slug is refused rather than shadowed."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient

from accounts.models import Organisation
from accounts.services import RESERVED_SLUGS
from audit.models import LedgerEvent

URL = "/api/v1/organisations/"


def test_every_fixed_compliance_page_beside_the_brand_pages_is_a_reserved_slug() -> None:
    from compliance.urls import urlpatterns

    fixed = {str(p.pattern).split("/")[0] for p in urlpatterns} - {""}
    fixed = {segment for segment in fixed if not segment.startswith("<")}
    assert fixed, "the compliance URLs have fixed pages"
    assert fixed <= RESERVED_SLUGS


def test_iris_cannot_create_a_brand_slugged_like_a_compliance_page_and_nothing_is_stored(
    client_for: Callable[[str], APIClient],
) -> None:
    organisations, events = Organisation.objects.count(), LedgerEvent.objects.count()
    for slug in sorted(RESERVED_SLUGS):
        response = client_for("iris").post(URL, {"name": "Iris Media", "slug": slug}, format="json")

        assert response.status_code == 400
        assert response.json()["code"] == "slug_reserved"
        assert slug in response.json()["message"]
    assert (Organisation.objects.count(), LedgerEvent.objects.count()) == (organisations, events)
    assert client_for("iris").post(URL, {"name": "Iris Media", "slug": "holds-iris"}, format="json").status_code == 201

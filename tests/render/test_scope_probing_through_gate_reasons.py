"""Attack: a brand asks for avatars of several people and reads the refusals to learn who consented to a rival,
who is a minor, who is unverified, who revoked or let a consent lapse. It always hears the same code and sentence;
the detailed reason is ledgered under the influencer (no organisation, so the brand's ledger readers never see it)
and shown only on the influencer's own page and to staff."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import RealNameRecord
from audit.models import LedgerEvent
from consent.gate import BRAND_REFUSAL_CODE, BRAND_REFUSAL_MESSAGE
from consent.models import ConsentGrant
from render.models import Avatar
from render.services import create_avatar
from tests.consent.helpers import (
    draft_grant,
    published_template,
    register_passkey,
    revoke_with_passkey,
    sign_with_passkey,
    skip_statement,
    verified_influencer,
)
from tests.render.helpers import store_sample

pytestmark = pytest.mark.django_db

DETAILS = {"influencer_minor", "influencer_not_verified", "revoked", "expired", "out_of_scope_brand"}


def _person(personas: dict[str, Any], name: str, serial: int) -> Any:
    user = verified_influencer(name, born=date(1990, 1, 1), verified_by=personas["sam"], serial=serial)
    from tests.pia import assess

    assess(user.influencer, personas["sam"])
    return user


def _consent(personas: dict[str, Any], template: Any, user: Any, *, brand: Any, **kwargs: Any) -> Any:
    authenticator = register_passkey(user)
    grant = sign_with_passkey(
        skip_statement(draft_grant(personas, template, user=user, brands=[brand], **kwargs)), authenticator, user
    )
    grant.authenticator = authenticator
    return grant


def _situations(personas: dict[str, Any]) -> dict[str, Any]:
    """One influencer per situation a brand must not be able to tell apart."""
    template = published_template(personas["sam"])
    acme, globex = personas["acme"], personas["globex"]
    people = {
        name: _person(personas, name, serial)
        for serial, name in enumerate(
            ["rival", "minor", "unverified", "revoked", "expired", "platform", "never"], start=101
        )
    }
    _consent(personas, template, people["rival"], brand=globex)
    _consent(personas, template, people["minor"], brand=acme)
    # Became a minor's record after signing (e.g. a corrected birth date): the gate refuses at use time.
    RealNameRecord.objects.filter(user=people["minor"]).update(adult_on=timezone.localdate() + timedelta(days=400))
    _consent(personas, template, people["unverified"], brand=acme)
    RealNameRecord.objects.filter(user=people["unverified"]).delete()
    revoked = _consent(personas, template, people["revoked"], brand=acme)
    revoke_with_passkey(revoked, revoked.authenticator, people["revoked"])
    expired = _consent(personas, template, people["expired"], brand=acme)
    ConsentGrant.objects.filter(pk=expired.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    _consent(personas, template, people["platform"], brand=acme, platforms=("taobao",))
    return people


def test_every_refusal_reads_the_same_to_the_brand(personas: dict[str, Any]) -> None:
    people = _situations(personas)
    client = APIClient()
    client.force_authenticate(personas["bob"])

    answers = set()
    for user in people.values():
        response = client.post(
            "/api/v1/avatars/",
            {
                "brand": str(personas["acme"].public_id),
                "influencer": str(user.influencer.public_id),
                "purpose": "livestream_ecommerce",
                "platform": "douyin",
            },
            format="json",
        )
        assert response.status_code == 403, (user.email, response.content)
        answers.add((response.json()["code"], response.json()["message"]))

    assert answers == {(BRAND_REFUSAL_CODE, BRAND_REFUSAL_MESSAGE)}
    assert not Avatar.objects.exists()
    # The detail is ledgered, per influencer, and in no event an Acme reader can list.
    refused = {
        event.subject: event.payload_data["reason"] for event in LedgerEvent.objects.filter(kind="consent.use_refused")
    }
    expected = {
        "rival": "out_of_scope_brand",
        "minor": "influencer_minor",
        "unverified": "influencer_not_verified",
        "revoked": "revoked",
        "expired": "expired",
        "platform": "out_of_scope_platform",
        "never": "no_consent",
    }
    assert refused == {f"influencer:{people[k].influencer.public_id}": v for k, v in expected.items()}
    assert not LedgerEvent.objects.filter(kind="consent.use_refused", organisation__isnull=False).exists()
    owner = APIClient()
    owner.force_authenticate(personas["alice"])
    readable = owner.get("/api/v1/ledger/events/?limit=1000")
    assert readable.status_code == 200
    assert "consent.use_refused" not in readable.content.decode()
    for detail in DETAILS | {"out_of_scope_platform"}:
        assert detail not in readable.content.decode()


def test_the_influencer_and_staff_see_the_detail_and_the_brand_does_not(
    personas: dict[str, Any], django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    template = published_template(personas["sam"])
    iris = personas["iris"]
    grant = _consent(personas, template, iris, brand=personas["acme"])
    store_sample(iris.influencer, data=b"not built in this test")
    avatar = create_avatar(
        influencer=iris.influencer,
        brand=personas["acme"],
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
    )

    with django_capture_on_commit_callbacks(execute=True):
        revoke_with_passkey(grant, grant.authenticator, iris)

    avatar.refresh_from_db()
    assert (avatar.status, avatar.error_code, avatar.error_message) == (
        Avatar.Status.FAILED,
        BRAND_REFUSAL_CODE,
        BRAND_REFUSAL_MESSAGE,
    )
    failed = LedgerEvent.objects.get(subject=avatar.subject, kind="avatar.failed")
    assert failed.payload_data["reason"] == BRAND_REFUSAL_CODE
    assert "revoked" not in failed.payload

    client.force_login(personas["bob"])
    brand_page = client.get(f"/render/avatars/{avatar.public_id}/").content.decode()
    # The failure reads as the one brand sentence; the gate's reasons stay hidden. The page does say that the
    # brand's OWN grant behind the avatar was revoked (its state is the brand's to know, issue #11), which tells it
    # nothing about any other brand's consents.
    assert BRAND_REFUSAL_MESSAGE in brand_page
    assert BRAND_REFUSAL_CODE not in brand_page
    assert 'data-testid="gate-refusals"' not in brand_page

    client.force_login(personas["sam"])
    staff_page = client.get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert 'data-testid="gate-refusals"' in staff_page
    assert ">revoked<" in staff_page

    client.force_login(iris)
    own_page = client.get("/consent/").content.decode()
    assert 'data-testid="use-refusals"' in own_page
    assert ">revoked<" in own_page
    assert "Acme" in own_page
    own_api = client.get("/api/v1/consent/refusals/").json()
    assert [row["reason"] for row in own_api] == ["revoked"]
    client.force_login(personas["bob"])
    assert client.get("/api/v1/consent/refusals/").status_code == 403

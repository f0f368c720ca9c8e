"""Attack: add-as-auditor lock-out.

charlie founds a brand and names iris its auditor. Before, the direct add made her a member at once, and because
an auditor role anywhere made a user read-only everywhere, iris could no longer revoke her consent. Now charlie can
only invite her; she is nobody's auditor until she accepts; and even once she accepts, the role binds only inside
charlie's brand: her consents, her account and her other work are untouched.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from accounts.invitations import accept_invitation
from accounts.models import Invitation
from accounts.selectors import roles_for
from consent.models import ConsentGrant
from tests.consent.helpers import active_grant
from tests.consent.trust_helpers import register_api_key, revoke_through_api


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_charlie_cannot_make_iris_an_auditor_and_cannot_stop_her_revoking(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    iris = personas["iris"]
    grant = active_grant(personas, template, passkey)
    iris_client, charlie = Client(), Client()
    iris_client.force_login(iris)
    charlie.force_login(personas["charlie"])
    private, key_id = register_api_key(iris_client)

    trap = _post(charlie, "/api/v1/organisations/", {"name": "Trap Ltd", "slug": "trap"})
    assert trap.status_code == 201
    trap_id = trap.json()["public_id"]

    # The old direct add is gone.
    direct = _post(charlie, f"/api/v1/organisations/{trap_id}/members/", {"email": iris.email, "role": "auditor"})
    assert direct.status_code == 405
    # An invitation is all charlie can send, and it makes nobody a member.
    invited = _post(charlie, f"/api/v1/organisations/{trap_id}/invitations/", {"email": iris.email, "role": "auditor"})
    assert invited.status_code == 202
    trap_org = personas["charlie"].memberships.get(organisation__slug="trap").organisation
    assert roles_for(iris, trap_org) == set()

    # Even if iris accepts, the role binds inside Trap Ltd only.
    accept_invitation(invitation=Invitation.objects.get(public_id=invited.json()["public_id"]), user=iris)
    assert roles_for(iris, trap_org) == {"auditor"}
    refused = iris_client.patch(
        f"/api/v1/organisations/{trap_id}/", json.dumps({"name": "Renamed"}), content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "auditor_read_only")

    # Her own account and consents: all still hers.
    own_brand = _post(iris_client, "/api/v1/organisations/", {"name": "Iris Studio", "slug": "iris-studio"})
    assert own_brand.status_code == 201
    revoked = revoke_through_api(iris_client, str(grant.public_id), private, key_id)
    assert revoked.status_code == 200, revoked.content
    assert ConsentGrant.objects.get(pk=grant.pk).status == ConsentGrant.Status.REVOKED

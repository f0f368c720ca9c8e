"""Schemathesis against the served /api/schema/: generated requests (valid and invalid) to every operation, as each
persona, never get a 5xx and never get a status the schema does not document.

Runs in-process through WSGI, inside the test's database transaction, bounded to a few examples per operation and
persona (SCHEMATHESIS_EXAMPLES; the whole run stays near a minute on two cores). Found problems print the failing
request as a curl command.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from accounts import tokens

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
# The suite replays the same examples every run; SCHEMATHESIS_RANDOM=1 explores new ones (for a longer local hunt).
DERANDOMIZE = os.environ.get("SCHEMATHESIS_RANDOM") != "1"
PERSONAS = ("anonymous", "alice", "bob", "audrey", "charlie", "iris", "sam")


@pytest.fixture
def keep_the_test_connection() -> Any:
    """As Django's test client does: a request must not close the connection holding the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(personas: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, list[str]]:
    """Ids of real objects for path parameters, so requests also reach past the 404s: Acme and Globex, members,
    a published consent text, iris's grants in three states, a ledger event of Acme's, an Acme product with an FAQ
    entry and an image."""
    from audit.keys import init_keys
    from audit.models import LedgerEvent
    from consent import gate
    from tests.consent.helpers import active_grant, draft_grant, published_template, register_passkey, skip_statement

    settings.LEDGER_SIGNING_KEY_PATH = tmp_path / "keys" / "ledger-ed25519.pem"
    settings.LEDGER_PUBLIC_KEYS_DIR = tmp_path / "keys" / "ledger-public"
    init_keys()
    settings.VAULT_MASTER_KEY = os.urandom(32).hex()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost"]
    gate.clear_cache()
    template = published_template(personas["sam"])
    grants = [
        draft_grant(personas, template),
        skip_statement(draft_grant(personas, template)),
        active_grant(personas, template, register_passkey(personas["iris"])),
    ]
    acme_event = LedgerEvent.objects.filter(organisation=personas["acme"]).order_by("pk").first()
    from tests.streaming.authorization_rows import CatalogContext

    catalog = CatalogContext(personas)
    orgs = [str(personas["acme"].public_id), str(personas["globex"].public_id)]
    return {
        "public_id": orgs,
        "organisation_id": orgs,
        "user_public_id": [str(personas["victor"].public_id), str(personas["alice"].public_id)],
        "template_id": [str(template.public_id)],
        "grant_id": [str(grant.public_id) for grant in grants],
        "id": [str(acme_event.pk)] if acme_event else [],
        "product_id": [str(catalog.product.public_id)],
        "faq_id": [str(catalog.faq.public_id)],
        "image_id": [str(catalog.image.public_id)],
    }


@pytest.fixture
def persona_tokens(keep_the_test_connection: None, personas: dict[str, Any]) -> dict[str, str]:
    return {name: tokens.issue_api_token(user=personas[name])[1] for name in PERSONAS if name != "anonymous"}


# Loaded at collection, over WSGI: serving the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@schema.given(persona=st.sampled_from(PERSONAS), real=st.integers(min_value=0, max_value=3))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_undocumented_status(
    case: Any, persona: str, real: int, persona_tokens: dict[str, str], real_ids: dict[str, list[str]]
) -> None:
    for name in list(case.path_parameters or {}) if real else []:
        if real_ids.get(name):
            case.path_parameters[name] = real_ids[name][(real - 1) % len(real_ids[name])]
    headers = {} if persona == "anonymous" else {"Authorization": f"Token {persona_tokens[persona]}"}
    case.call_and_validate(headers=headers, checks=[not_a_server_error, status_code_conformance])

"""Schemathesis against the served /api/schema/: generated requests (valid and invalid) to every operation, as each
persona, never get a 5xx and never get a status the schema does not document.

Runs in-process through WSGI, inside the test's database transaction, bounded to a few examples per operation and
persona (SCHEMATHESIS_EXAMPLES; the whole run stays near a minute on two cores). Found problems print the failing
request as a curl command.
"""

from __future__ import annotations

import os
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
def persona_tokens(keep_the_test_connection: None, personas: dict[str, Any]) -> dict[str, str]:
    return {name: tokens.issue_api_token(user=personas[name])[1] for name in PERSONAS if name != "anonymous"}


# Loaded at collection, over WSGI: serving the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@schema.given(persona=st.sampled_from(PERSONAS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_undocumented_status(case: Any, persona: str, persona_tokens: dict[str, str]) -> None:
    headers = {} if persona == "anonymous" else {"Authorization": f"Token {persona_tokens[persona]}"}
    case.call_and_validate(headers=headers, checks=[not_a_server_error, status_code_conformance])

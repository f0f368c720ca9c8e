from __future__ import annotations

import io
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

ACCOUNTS_PATHS = {
    "/api/v1/auth/token/",
    "/api/v1/me/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{public_id}/",
    "/api/v1/organisations/{public_id}/members/",
    "/api/v1/organisations/{public_id}/members/{user_public_id}/",
    "/api/v1/influencers/",
    "/api/v1/influencers/me/",
    "/api/v1/real-name-records/",
}


@pytest.mark.django_db
def test_the_schema_is_a_valid_openapi_3_document_listing_the_accounts_endpoints() -> None:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    assert set(schema["paths"]) >= ACCOUNTS_PATHS
    token_create = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert token_create["requestBody"]["content"]["application/json"]


@pytest.mark.django_db
def test_schema_generation_emits_no_warnings(tmp_path: Any) -> None:
    out = tmp_path / "schema.yaml"
    stderr = io.StringIO()
    # --fail-on-warn turns any warning (an unannotated view, an unresolvable type) into a CommandError.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=stderr)
    assert set(yaml.safe_load(out.read_text())["paths"]) >= ACCOUNTS_PATHS


@pytest.mark.django_db
def test_the_swagger_ui_renders_from_local_static_files() -> None:
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "cdn.jsdelivr" not in page
    assert "unpkg.com" not in page

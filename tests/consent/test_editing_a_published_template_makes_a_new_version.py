from __future__ import annotations

from typing import Any

import pytest

from consent.models import ConsentTemplate
from consent.services import publish_template, revise_template
from tests.consent.helpers import PIPL_FIELDS, active_grant

pytestmark = pytest.mark.django_db


def test_revising_a_published_text_creates_the_next_version_and_keeps_grants_on_theirs(
    personas: dict[str, Any], template: ConsentTemplate, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey)

    revised = revise_template(
        template=template,
        title=template.title,
        body=template.body + " Amended.",
        pipl_fields=PIPL_FIELDS,
        actor=personas["sam"],
    )
    publish_template(template=revised, actor=personas["sam"])

    template.refresh_from_db()
    assert revised.pk != template.pk
    assert revised.version == template.version + 1
    assert revised.content_sha256 != template.content_sha256
    assert template.status == ConsentTemplate.Status.RETIRED
    assert template.body.endswith("below.")
    grant.refresh_from_db()
    assert grant.template_id == template.pk
    assert grant.template_sha256 == template.content_sha256
    assert grant.scope["template"]["version"] == template.version

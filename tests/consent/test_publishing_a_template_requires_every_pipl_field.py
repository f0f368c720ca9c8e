from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from consent.models import ConsentTemplate
from consent.services import create_template, publish_template
from tests.consent.helpers import PIPL_FIELDS

pytestmark = pytest.mark.django_db


def _draft(staff: Any, fields: dict[str, Any]) -> ConsentTemplate:
    return create_template(
        family="licence", language="zh-CN", title="数字人授权", body="正文", pipl_fields=fields, actor=staff
    )


@pytest.mark.parametrize("field", ["controller", "contact", "purpose", "necessity", "retention_period", "withdrawal"])
def test_it_refuses_to_publish_a_text_missing_a_notice_item(personas: dict[str, Any], field: str) -> None:
    template = _draft(personas["sam"], {**PIPL_FIELDS, field: "  "})

    with pytest.raises(DomainError) as refused:
        publish_template(template=template, actor=personas["sam"])

    assert refused.value.code == "pipl_fields_missing"
    assert field in str(refused.value.detail)
    template.refresh_from_db()
    assert template.status == ConsentTemplate.Status.DRAFT


def test_each_biometric_modality_must_be_explained_separately(personas: dict[str, Any]) -> None:
    fields = {**PIPL_FIELDS, "modalities": {"face_likeness": "Your face.", "voice": "Your voice."}}
    template = _draft(personas["sam"], fields)

    with pytest.raises(DomainError) as refused:
        publish_template(template=template, actor=personas["sam"])

    assert "modalities.body_movement" in str(refused.value.detail)


def test_it_publishes_a_complete_text_with_its_content_hash(personas: dict[str, Any]) -> None:
    template = publish_template(template=_draft(personas["sam"], PIPL_FIELDS), actor=personas["sam"])

    assert template.status == ConsentTemplate.Status.PUBLISHED
    assert len(template.content_sha256) == 64


def test_only_staff_write_consent_texts(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        _draft(personas["alice"], PIPL_FIELDS)

    assert refused.value.code == "staff_required"

"""The ScriptSource render asks for approved script versions (render.script_source): registered by
StreamingConfig.ready, so render, which never imports streaming, speaks only versions a reviewer approved."""

from __future__ import annotations

import uuid

from accounts.models import Organisation
from common.api import DomainError
from consent.models import ConsentGrant
from render.script_source import ApprovedChoice, ApprovedLine, ApprovedScript
from streaming.consent_scope import product_allowed_for
from streaming.models import Product, ScriptApproval, ScriptVersion


def _not_found() -> DomainError:
    return DomainError("No such script version.", code="script_version_not_found", status_code=404)


def _products(organisation_id: int, ids: set[str]) -> dict[str, Product]:
    found = {
        str(p.public_id): p
        for p in Product.objects.filter(organisation_id=organisation_id, public_id__in=[uuid.UUID(i) for i in ids])
    }
    missing = sorted(ids - set(found))
    if missing:
        # A product removed from the catalog since approval: its category can no longer be checked against consent.
        raise DomainError(
            f"The script names products no longer in the catalog ({', '.join(missing)}); edit and approve it again.",
            code="script_product_missing",
            status_code=409,
        )
    return found


class StreamingScriptSource:
    def list_approved(self, *, organisation: Organisation) -> list[ApprovedChoice]:
        versions = (
            ScriptVersion.objects.filter(script__organisation=organisation, approval__isnull=False)
            .select_related("script")
            .order_by("script__title", "-number")[:200]
        )
        return [ApprovedChoice(str(v.public_id), v.script.title, v.number) for v in versions]

    def resolve(self, *, organisation: Organisation, version_id: str) -> ApprovedScript:
        try:
            public_id = uuid.UUID(str(version_id))
        except ValueError:
            raise _not_found() from None
        version = (
            ScriptVersion.objects.select_related("script")
            .filter(public_id=public_id, script__organisation=organisation)
            .first()
        )
        if version is None:
            raise _not_found()
        approval = ScriptApproval.objects.filter(version=version).first()
        if approval is None:
            raise DomainError(
                f"Version {version.number} of this script is not approved: a reviewer of the brand must approve it "
                "with their passkey before it can be rendered.",
                code="script_not_approved",
                status_code=409,
            )
        products = _products(organisation.pk, {p for line in version.lines for p in line["product_ids"]})
        return ApprovedScript(
            script_id=str(version.script.public_id),
            version_id=str(version.public_id),
            version_number=version.number,
            version_sha256=version.sha256,
            approval_id=str(approval.public_id),
            organisation_id=organisation.pk,
            lines=tuple(
                ApprovedLine(
                    id=line["id"],
                    text=line["text"],
                    language=line["language"],
                    intent=line["intent"],
                    product_ids=tuple(line["product_ids"]),
                    product_categories=tuple(products[p].category for p in line["product_ids"]),
                )
                for line in version.lines
            ),
        )

    def check_voicing(self, *, script: ApprovedScript, grant: ConsentGrant) -> None:
        approved = ScriptApproval.objects.filter(
            public_id=script.approval_id,
            version__public_id=script.version_id,
            version__sha256=script.version_sha256,
        ).exists()
        if not approved:
            raise DomainError(
                "The approval of this script version no longer exists.", code="script_not_approved", status_code=409
            )
        ids = {p for line in script.lines for p in line.product_ids}
        for product in _products(script.organisation_id, ids).values():
            decision = product_allowed_for(grant, product)
            if not decision:
                raise DomainError(decision.message, code=decision.reason, status_code=409)

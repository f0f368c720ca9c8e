"""The demo's catalog: two Acme products with FAQ in Chinese and English, imported through the same CSV import as
the portal and `import_catalog` (called from `manage.py demo`). Running it again changes nothing."""

from __future__ import annotations

from typing import Any

from accounts.models import Organisation, User
from streaming.models import Product
from streaming.services import import_catalog

PRODUCTS_CSV = """sku,name,price,currency,category,selling_points
ACME-LIP-01,丝绒哑光口红 01 号,129.00,CNY,cosmetics,持久显色|轻薄不拔干|小巧便携
ACME-MUG-02,Double-wall glass mug 350 ml,59.00,CNY,home,Keeps drinks warm|Dishwasher safe|Borosilicate glass
"""

FAQ_CSV = """sku,language,question,variants,answer
ACME-LIP-01,zh,会掉色吗？,喝水会掉色吗|持久吗,正常饮水不易掉色，用餐后建议补涂。
ACME-LIP-01,en,Does it smudge?,Is it long-lasting?|Will it transfer?,It resists light transfer; reapply after meals.
ACME-MUG-02,en,Is it microwave safe?,Can I microwave it?,Yes, without the lid.
ACME-MUG-02,zh,可以放进微波炉吗？,能用微波炉加热吗,可以，请先取下杯盖。
"""


def run_catalog_demo(*, brand: Organisation, actor: User) -> list[dict[str, Any]]:
    import_catalog(
        organisation=brand, actor=actor, products=PRODUCTS_CSV.encode("utf-8"), faq=FAQ_CSV.encode("gb18030")
    )
    products = Product.objects.filter(organisation=brand, sku__in=["ACME-LIP-01", "ACME-MUG-02"]).order_by("sku")
    return [
        {
            "id": str(product.public_id),
            "sku": product.sku,
            "name": product.name,
            "price": str(product.price),
            "currency": product.currency,
            "category": product.category,
            "faq": [{"language": e.language, "question": e.question} for e in product.faq.order_by("language", "pk")],
        }
        for product in products
    ]


DEMO_SCRIPT_TITLE = "Demo: 丝绒口红 + glass mug"
DEMO_OVERRIDDEN_LINE = {
    "id": "rank",
    "text": "这款口红是本店销量第一的色号。",
    "language": "zh",
    "intent": "product",
}
DEMO_OVERRIDE_REASON = (
    "Own-store sales ranking taken from the shop's order records of the last 30 days (SAMR 2023 guideline: a "
    "comparison within one's own shop with a verifiable source)."
)


def run_script_demo(*, brand: Organisation, author: User, reviewer: User) -> dict[str, Any]:
    """A built-in generated script for the demo products, edited once (a line with a blocking absolute term), and
    approved by `reviewer` with a passkey (the software authenticator of the tests: the demo has no browser), the
    finding overridden with a written reason. Running it again reuses the approved version."""
    from consent.scope import challenge_for
    from consent.services import begin_passkey_registration, finish_passkey_registration
    from consent.software_authenticator import SoftwareAuthenticator
    from render.script_source import script_source
    from streaming.models import Script, ScriptApproval
    from streaming.scripts import latest_version
    from streaming.services import (
        approve_script_version,
        begin_script_approval,
        generate_script_draft,
        save_script_version,
    )

    script = Script.objects.filter(organisation=brand, title=DEMO_SCRIPT_TITLE).order_by("-pk").first()
    version = latest_version(script) if script is not None else None
    if version is None or not ScriptApproval.objects.filter(version=version).exists():
        products = Product.objects.filter(organisation=brand, sku__in=["ACME-LIP-01", "ACME-MUG-02"]).order_by("sku")
        lipstick = products[0]
        script = generate_script_draft(
            organisation=brand,
            actor=author,
            product_ids=[str(p.public_id) for p in products],
            language="zh",
            backend="builtin",
            seed=7,
            title=DEMO_SCRIPT_TITLE,
        )
        draft = latest_version(script)
        edited = [*draft.lines, {**DEMO_OVERRIDDEN_LINE, "product_ids": [str(lipstick.public_id)]}]
        version = save_script_version(script=script, actor=author, lines=edited, base_number=draft.number)
        # The ranking line's finding is answered with a reason (a review finding may be overridden too; a blocking
        # one must be).
        overrides = {
            f["key"]: DEMO_OVERRIDE_REASON
            for f in version.findings
            if f["severity"] == "block" or f["line_id"] == DEMO_OVERRIDDEN_LINE["id"]
        }
        from consent.passkeys import relying_party

        rp = relying_party()
        authenticator = SoftwareAuthenticator(rp_id=rp.rp_id, origin=rp.origins[0])
        options = begin_passkey_registration(user=reviewer, rp=rp)
        finish_passkey_registration(user=reviewer, rp=rp, credential=authenticator.register(options), label="demo")
        begun = begin_script_approval(
            version=version, reviewer=reviewer, expected_sha256=version.sha256, overrides=overrides, rp=rp
        )
        approve_script_version(
            version=version,
            reviewer=reviewer,
            expected_sha256=version.sha256,
            overrides=overrides,
            credential=authenticator.get_assertion(challenge_for(begun["document"])),
            rp=rp,
        )
    script = version.script
    approval = ScriptApproval.objects.get(version=version)
    approved = script_source().resolve(organisation=brand, version_id=str(version.public_id))
    return {
        "approved": approved,
        "summary": {
            "id": str(script.public_id),
            "title": script.title,
            "version": str(version.public_id),
            "version_number": version.number,
            "version_sha256": version.sha256,
            "source": version.source,
            "lines": len(version.lines),
            "findings": len(version.findings),
            "overrides": approval.overrides,
            "approval": str(approval.public_id),
            "reviewer": str(reviewer.public_id),
            "approval_document_sha256": approval.document_sha256,
            "api": f"/api/v1/scripts/{script.public_id}/",
        },
    }

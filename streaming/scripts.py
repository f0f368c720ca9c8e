"""Scripts: create, save versions (each linted and hashed), generate drafts, and the reviewer's passkey approval.

A version is immutable: any edit is a new, unapproved version, and the editor says which version it edited
(`base_number`) so two people editing at once cannot silently overwrite each other. Approval binds one version's
hash: the reviewer's passkey signs the SHA-256 of a canonical document naming the version hash, the findings and
every override with its reason (the same construction as consent signing, consent.passkeys). Render speaks only
approved versions (render.script_source, streaming.approved_scripts).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import rfc8785
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, RealNameRecord, User
from audit.services import record_event
from common.api import DomainError
from consent import passkeys
from consent.models import WebAuthnCredential
from consent.passkey_documents import forget_document, issue_document, pending_document, verify_document_signature
from consent.scope import challenge_for, format_time
from streaming.consent_scope import product_allowed_for
from streaming.linter import LintContext, ProductRef, ScriptLine, lint_script, rules_version
from streaming.linter_versions import record_rules_version
from streaming.models import Product, Script, ScriptApproval, ScriptVersion
from streaming.selectors import has_brand_role

WRITE_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.EDITOR})
APPROVE_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.REVIEWER})
LANGUAGES = ("zh", "en")
MAX_TITLE = 200
MAX_PRODUCTS_PER_LINE = 10
MIN_OVERRIDE_REASON = 10
MAX_OVERRIDE_REASON = 2000
APPROVAL_TTL_SECONDS = 600
APPROVAL_DOCUMENT_TYPE = "veracast.script_approval/v1"
LINE_KEYS = frozenset({"id", "text", "language", "intent", "product_ids"})


# Permissions ---------------------------------------------------------------------------------------------------


def can_write_scripts(user: User, organisation_id: int) -> bool:
    return has_brand_role(user, organisation_id, WRITE_ROLES)


def can_approve_scripts(user: User, organisation_id: int) -> bool:
    return has_brand_role(user, organisation_id, APPROVE_ROLES)


def _require_writer(actor: User, organisation: Organisation) -> None:
    if not can_write_scripts(actor, organisation.pk):
        raise DomainError(
            "Only the brand's owners and editors may write its scripts.", code="permission_denied", status_code=403
        )


# Lines, hashing and linting ------------------------------------------------------------------------------------


def _refuse_line(number: int, line_id: str, message: str, code: str) -> DomainError:
    return DomainError(f"Line {number} ({line_id}): {message}", code=code, status_code=400)


def clean_script_lines(
    *, organisation: Organisation, lines: Any, language: str
) -> tuple[list[dict[str, Any]], dict[str, Product]]:
    """The lines as a version stores them, and the products they name; 400 naming the line otherwise.

    Speakability (TTS length, language, intent, reserved or duplicate ids) is render's own check (`clean_lines`), so
    a version that passes here is one render can speak."""
    from render.jobs import MAX_LINES, clean_lines

    if not isinstance(lines, list) or not all(isinstance(line, Mapping) for line in lines):
        raise DomainError("lines must be a list of objects.", code="invalid_lines", status_code=400)
    if not lines:
        raise DomainError("A script needs at least one line.", code="no_lines", status_code=400)
    if len(lines) > MAX_LINES:
        raise DomainError(f"At most {MAX_LINES} lines per script.", code="too_many_lines", status_code=400)
    given = {str(line.get("id")) for line in lines if line.get("id")}
    counter = 0
    prepared: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        unknown = set(line) - LINE_KEYS
        if unknown:
            raise _refuse_line(number, str(line.get("id", "")), f"unknown fields {sorted(unknown)}", "invalid_lines")
        line_id = str(line.get("id") or "")
        if not line_id:
            # A new line gets the next free "L<n>": ids stay stable across versions, so findings keep their keys.
            counter += 1
            while f"L{counter}" in given:
                counter += 1
            line_id = f"L{counter}"
            given.add(line_id)
        if len(line_id) > 64:
            raise _refuse_line(number, line_id[:64], "a line id has at most 64 characters", "invalid_line_id")
        text = line.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _refuse_line(number, line_id, "the text is empty", "empty_line")
        product_ids = line.get("product_ids") or []
        if not isinstance(product_ids, list) or not all(isinstance(p, str) for p in product_ids):
            raise _refuse_line(number, line_id, "product_ids must be a list of product ids", "invalid_lines")
        if len(product_ids) > MAX_PRODUCTS_PER_LINE:
            raise _refuse_line(number, line_id, "too many products on one line", "invalid_lines")
        prepared.append(
            {
                "id": line_id,
                "text": text,
                "language": str(line.get("language") or language),
                "intent": str(line.get("intent") or "idle"),
                "product_ids": list(dict.fromkeys(product_ids)),
            }
        )
    try:
        spoken = clean_lines(prepared)
    except DomainError as exc:
        raise DomainError(str(exc.detail), code=exc.code, status_code=400) from None
    wanted = {p for line in prepared for p in line["product_ids"]}
    products = _products(organisation, wanted)
    cleaned = []
    for number, (line, speakable) in enumerate(zip(prepared, spoken, strict=True), start=1):
        for product_id in line["product_ids"]:
            if product_id not in products:
                raise _refuse_line(
                    number, line["id"], f"no product {product_id!r} in this brand's catalog", "unknown_product"
                )
        cleaned.append({**speakable, "product_ids": line["product_ids"]})
    return cleaned, products


def _products(organisation: Organisation, ids: set[str]) -> dict[str, Product]:
    import uuid

    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    return {str(p.public_id): p for p in Product.objects.filter(organisation=organisation, public_id__in=valid)}


def canonical_version(*, script: Script, number: int, lines: list[dict[str, Any]]) -> str:
    """RFC 8785 canonical JSON of what a version says: its hash is what a reviewer approves and render records."""
    return rfc8785.dumps({"script": str(script.public_id), "number": number, "lines": lines}).decode("utf-8")


def finding_key(line_id: str, rule: str, start: int, end: int) -> str:
    """Stable across re-lints of the same version: an override names the finding it answers by this key."""
    return f"{line_id}:{rule}:{start}-{end}"


def lint_version_lines(
    *, script: Script, lines: list[dict[str, Any]], products: Mapping[str, Product]
) -> list[dict[str, Any]]:
    """The linter's findings for `lines`, each as Finding.as_dict() plus its "key" and the line's "line_id"; prices
    and categories are the catalog's, for the products each line names."""
    refs = {pid: ProductRef(id=pid, name=p.name, category=p.category, price=p.price) for pid, p in products.items()}
    categories = {p.category for p in products.values()}
    findings = lint_script(
        [ScriptLine(text=x["text"], language=x["language"], product_ids=x["product_ids"]) for x in lines],
        language=script.language,
        category=next(iter(categories)) if len(categories) == 1 else None,
        products=refs,
        context=LintContext(product_names=[p.name for p in products.values()]),
    )
    out: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for finding in findings:
        line_id = lines[(finding.line or 1) - 1]["id"] if lines else ""
        key = finding_key(line_id, finding.rule, finding.start, finding.end)
        seen[key] += 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        out.append({**finding.as_dict(), "key": key, "line_id": line_id})
    return out


def findings_summary(findings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    counts = Counter(f"{f['rule']}/{f['severity']}" for f in findings)
    return {
        "total": len(findings),
        "blocking": sum(1 for f in findings if f["severity"] == "block"),
        "by_rule": dict(sorted(counts.items())),
    }


# Scripts and versions ------------------------------------------------------------------------------------------


def _language(language: str) -> str:
    lang = str(language or "").lower().split("-")[0].split("_")[0]
    if lang not in LANGUAGES:
        raise DomainError("language must be zh or en.", code="invalid_language", status_code=400)
    return lang


def _store_version(
    *,
    script: Script,
    actor: User | None,
    number: int,
    lines: list[dict[str, Any]],
    products: Mapping[str, Product],
    source: str,
    generator: Mapping[str, Any] | None = None,
) -> ScriptVersion:
    """Inside the caller's transaction: the version row and its `script.version_saved` event."""
    canonical = canonical_version(script=script, number=number, lines=lines)
    findings = lint_version_lines(script=script, lines=lines, products=products)
    record_rules_version()
    version = ScriptVersion.objects.create(
        script=script,
        number=number,
        lines=lines,
        canonical=canonical,
        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        findings=findings,
        rules_version=rules_version(),
        blocking_count=sum(1 for f in findings if f["severity"] == "block"),
        source=source,
        generator=dict(generator or {}),
        created_by=actor,
    )
    summary = findings_summary(findings)
    record_event(
        kind="script.version_saved",
        subject=script.subject,
        payload={
            "script": str(script.public_id),
            "version": str(version.public_id),
            "number": number,
            "sha256": version.sha256,
            "source": source,
            "rules_version": version.rules_version,
            "findings": summary["by_rule"],
            "blocking_count": version.blocking_count,
        },
        actor=actor,
        organisation=script.organisation,
    )
    return version


def create_script(
    *,
    organisation: Organisation,
    actor: User,
    title: str,
    language: str,
    lines: Any,
    avatar: Any = None,
    source: str = ScriptVersion.Source.MANUAL,
    generator: Mapping[str, Any] | None = None,
) -> Script:
    """A new script with its first (unapproved) version. `avatar` (render.Avatar of the brand) names who will
    voice it: its influencer's consent exclusions are then checked at approval."""
    _require_writer(actor, organisation)
    title = str(title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise DomainError(f"A title of 1 to {MAX_TITLE} characters is needed.", code="invalid_title", status_code=400)
    language = _language(language)
    if avatar is not None and avatar.brand_id != organisation.pk:
        raise DomainError("No such avatar for this brand.", code="avatar_not_found", status_code=404)
    cleaned, products = clean_script_lines(organisation=organisation, lines=lines, language=language)
    with transaction.atomic():
        script = Script.objects.create(
            organisation=organisation, title=title, language=language, avatar=avatar, created_by=actor
        )
        record_event(
            kind="script.created",
            subject=script.subject,
            payload={
                "script": str(script.public_id),
                "title": title,
                "language": language,
                "avatar": str(avatar.public_id) if avatar is not None else None,
            },
            actor=actor,
            organisation=organisation,
        )
        _store_version(
            script=script,
            actor=actor,
            number=1,
            lines=cleaned,
            products=products,
            source=source,
            generator=generator,
        )
    return script


def latest_version(script: Script) -> ScriptVersion:
    found = script.versions.order_by("-number").first()
    if found is None:  # create_script always stores version 1
        raise DomainError("This script has no version.", code="script_empty", status_code=409)
    return found


def save_script_version(*, script: Script, actor: User, lines: Any, base_number: int) -> ScriptVersion:
    """Store the edit of version `base_number` as a new, unapproved version. 409 `version_changed` when a newer
    version exists than the one edited (nothing is overwritten); lines identical to the latest return it."""
    _require_writer(actor, script.organisation)
    cleaned, products = clean_script_lines(organisation=script.organisation, lines=lines, language=script.language)
    with transaction.atomic():
        locked = Script.objects.select_for_update().select_related("organisation").get(pk=script.pk)
        latest = latest_version(locked)
        if base_number != latest.number:
            raise DomainError(
                f"Version {base_number} is not the latest: version {latest.number} was saved in between. "
                "Reload the script and apply your edit to the latest version.",
                code="version_changed",
                status_code=409,
            )
        if latest.lines == cleaned:
            return latest
        version = _store_version(
            script=locked,
            actor=actor,
            number=latest.number + 1,
            lines=cleaned,
            products=products,
            source=ScriptVersion.Source.MANUAL,
        )
        Script.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return version


def generate_script_draft(
    *,
    organisation: Organisation,
    actor: User,
    product_ids: Sequence[str],
    language: str,
    backend: str = "builtin",
    seed: int | None = None,
    title: str = "",
    avatar: Any = None,
) -> Script:
    """A new script whose first version is a generated draft (builtin template grammar, or the configured LLM).
    A generator failure is a 502/504 DomainError with the generator's code and nothing is stored."""
    from streaming.script_drafts import draft_lines

    _require_writer(actor, organisation)
    language = _language(language)
    products = _products(organisation, {str(p) for p in product_ids})
    missing = [str(p) for p in product_ids if str(p) not in products]
    if not product_ids or missing:
        raise DomainError(
            f"Choose products of this brand's catalog (unknown: {', '.join(missing) or 'none chosen'}).",
            code="unknown_product",
            status_code=400,
        )
    ordered = [products[str(p)] for p in dict.fromkeys(str(p) for p in product_ids)]
    lines, generator = draft_lines(
        organisation=organisation, products=ordered, language=language, backend=backend, seed=seed
    )
    source = ScriptVersion.Source.LLM if backend == "llm" else ScriptVersion.Source.BUILTIN
    with transaction.atomic():
        script = create_script(
            organisation=organisation,
            actor=actor,
            title=title or " / ".join(p.name for p in ordered)[:MAX_TITLE],
            language=language,
            lines=lines,
            avatar=avatar,
            source=source,
            generator=generator,
        )
        version = latest_version(script)
        record_event(
            kind="script.generated",
            subject=script.subject,
            payload={
                "script": str(script.public_id),
                "version": str(version.public_id),
                "backend": generator.get("backend", backend),
                "model": generator.get("model", ""),
                "products": [str(p.public_id) for p in ordered],
                "language": language,
            },
            actor=actor,
            organisation=organisation,
        )
    return script


# Approval ------------------------------------------------------------------------------------------------------


def _approval_cache_key(reviewer: User, version: ScriptVersion) -> str:
    return f"veracast:streaming:script-approval:{reviewer.public_id}:{version.public_id}"


def _clean_overrides(version: ScriptVersion, overrides: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(overrides, Mapping):
        raise DomainError("overrides must map finding keys to reasons.", code="invalid_overrides", status_code=400)
    keys = {f["key"]: f for f in version.findings}
    cleaned: dict[str, str] = {}
    for key, reason in overrides.items():
        if key not in keys:
            raise DomainError(
                f"No finding {key!r} in version {version.number}.", code="unknown_finding", status_code=400
            )
        text = str(reason or "").strip()
        if len(text) < MIN_OVERRIDE_REASON or len(text) > MAX_OVERRIDE_REASON:
            raise DomainError(
                f"The override of {key} needs a written reason of {MIN_OVERRIDE_REASON} to {MAX_OVERRIDE_REASON} "
                "characters.",
                code="override_reason_required",
                status_code=400,
            )
        cleaned[key] = text
    for finding in version.findings:
        if finding["severity"] == "block" and finding["key"] not in cleaned:
            raise DomainError(
                f"Line {finding['line_id']}: the blocking finding {finding['rule']} at {finding['matched']!r} must be "
                "fixed in a new version or overridden with a written reason.",
                code="override_reason_required",
                status_code=400,
            )
    return cleaned


def _check_approvable(
    *, version: ScriptVersion, reviewer: User, expected_sha256: str, overrides: Mapping[str, Any]
) -> dict[str, str]:
    """Everything an approval needs except the signature; the cleaned overrides."""
    script = version.script
    if not can_approve_scripts(reviewer, script.organisation_id):
        raise DomainError(
            "Only the brand's owners and reviewers may approve scripts.", code="not_a_reviewer", status_code=403
        )
    if not RealNameRecord.objects.filter(user=reviewer).exists():
        raise DomainError(
            "A reviewer must be real-name verified before approving scripts.",
            code="real_name_required",
            status_code=403,
        )
    if not WebAuthnCredential.objects.filter(user=reviewer).exists():
        raise DomainError(
            "Register a passkey first: an approval is signed with it.", code="passkey_required", status_code=409
        )
    if hashlib.sha256(version.canonical.encode("utf-8")).hexdigest() != version.sha256:
        raise DomainError("The stored version differs from its hash.", code="version_tampered", status_code=409)
    if expected_sha256 != version.sha256 or latest_version(script).pk != version.pk:
        raise DomainError(
            "This version changed since you reviewed it (a newer version exists, or the hash differs). "
            "Review the latest version.",
            code="version_changed",
            status_code=409,
        )
    if ScriptApproval.objects.filter(version=version).exists():
        raise DomainError("This version is already approved.", code="already_approved", status_code=409)
    cleaned = _clean_overrides(version, overrides)
    if script.avatar is not None:
        influencer = script.avatar.influencer
        for product in _products(script.organisation, {p for x in version.lines for p in x["product_ids"]}).values():
            decision = product_allowed_for(influencer, product)
            if not decision:
                raise DomainError(decision.message, code=decision.reason, status_code=409)
    return cleaned


def approval_document(
    *, version: ScriptVersion, reviewer: User, overrides: Mapping[str, str], issued_at: str
) -> dict[str, Any]:
    """What the reviewer's passkey signs (its SHA-256 is the WebAuthn challenge)."""
    script = version.script
    return {
        "type": APPROVAL_DOCUMENT_TYPE,
        "organisation": str(script.organisation.public_id),
        "script": str(script.public_id),
        "version": str(version.public_id),
        "version_number": version.number,
        "version_sha256": version.sha256,
        "rules_version": version.rules_version,
        "findings": [
            {"key": f["key"], "rule": f["rule"], "severity": f["severity"], "matched": f["matched"]}
            for f in version.findings
        ],
        "overrides": [{"key": key, "reason": overrides[key]} for key in sorted(overrides)],
        "reviewer": {"id": str(reviewer.public_id), "name": reviewer.display_name or reviewer.email},
        "issued_at": issued_at,
    }


def begin_script_approval(
    *,
    version: ScriptVersion,
    reviewer: User,
    expected_sha256: str,
    overrides: Mapping[str, Any],
    rp: passkeys.RelyingParty | None = None,
) -> dict[str, Any]:
    """The document to sign and WebAuthn request options whose challenge is its SHA-256; the document waits 10
    minutes in the cache for `approve_script_version`."""
    cleaned = _check_approvable(
        version=version, reviewer=reviewer, expected_sha256=expected_sha256, overrides=overrides
    )
    return issue_document(
        user=reviewer,
        document=approval_document(
            version=version, reviewer=reviewer, overrides=cleaned, issued_at=format_time(timezone.now())
        ),
        cache_key=_approval_cache_key(reviewer, version),
        ttl_s=APPROVAL_TTL_SECONDS,
        rp=rp,
    )


def approve_script_version(
    *,
    version: ScriptVersion,
    reviewer: User,
    expected_sha256: str,
    overrides: Mapping[str, Any],
    credential: dict[str, Any],
    rp: passkeys.RelyingParty | None = None,
) -> ScriptApproval:
    """Verify the reviewer's passkey assertion over the document `begin_script_approval` issued, and approve."""
    cleaned = _check_approvable(
        version=version, reviewer=reviewer, expected_sha256=expected_sha256, overrides=overrides
    )
    key = _approval_cache_key(reviewer, version)
    document = pending_document(key)
    if not document:
        raise DomainError(
            "Start the approval again: the document to sign has expired.", code="approval_expired", status_code=400
        )
    signed = json.loads(document)
    if signed["version_sha256"] != version.sha256 or {o["key"]: o["reason"] for o in signed["overrides"]} != cleaned:
        raise DomainError(
            "The overrides or the version differ from the document you started to sign; start again.",
            code="approval_changed",
            status_code=409,
        )
    signature = verify_document_signature(user=reviewer, document=document, credential=credential, rp=rp)
    document_sha256 = signature.document_sha256
    with transaction.atomic():
        script = Script.objects.select_for_update().select_related("organisation").get(pk=version.script_id)
        if latest_version(script).pk != version.pk:
            raise DomainError("A newer version was saved meanwhile.", code="version_changed", status_code=409)
        if ScriptApproval.objects.filter(version=version).exists():
            raise DomainError("This version is already approved.", code="already_approved", status_code=409)
        signature.consume()
        approval = ScriptApproval.objects.create(
            version=version,
            reviewer=reviewer,
            document=document,
            document_sha256=document_sha256,
            overrides=cleaned,
            credential_id=signature.credential_id,
            assertion={"method": "webauthn", **signature.asserted.evidence},
        )
        event = record_event(
            kind="script.approved",
            subject=script.subject,
            payload={
                "script": str(script.public_id),
                "version": str(version.public_id),
                "version_sha256": version.sha256,
                "approval": str(approval.public_id),
                "reviewer": str(reviewer.public_id),
                "findings": [{"key": f["key"], "rule": f["rule"], "severity": f["severity"]} for f in version.findings],
                "overrides": signed["overrides"],
                "document_sha256": document_sha256,
                "credential_id": approval.credential_id,
            },
            actor=reviewer,
            organisation=script.organisation,
        )
        ScriptApproval.objects.filter(pk=approval.pk).update(ledger_event=event)
        approval.ledger_event = event
    forget_document(key)
    return approval


def verify_script_approval(approval: ScriptApproval) -> bool:
    """Re-verify a stored approval offline: the document names the version's hash, and the signature is the
    reviewer's passkey over the document's SHA-256 (py_webauthn, with the stored public key and a zero counter)."""
    from webauthn.helpers import base64url_to_bytes

    document = json.loads(approval.document)
    if document["version_sha256"] != approval.version.sha256:
        return False
    if hashlib.sha256(approval.document.encode("utf-8")).hexdigest() != approval.document_sha256:
        return False
    evidence = approval.assertion
    assertion = {
        "id": evidence["credential_id"],
        "rawId": evidence["credential_id"],
        "type": "public-key",
        "response": {
            "authenticatorData": evidence["authenticator_data"],
            "clientDataJSON": evidence["client_data_json"],
            "signature": evidence["signature"],
        },
    }
    try:
        passkeys.verify_assertion(
            assertion=assertion,
            challenge=challenge_for(approval.document),
            rp=passkeys.RelyingParty(rp_id=evidence["rp_id"], origins=(evidence["origin"],)),
            public_key=base64url_to_bytes(evidence["public_key_cose"]),
            sign_count=0,
        )
    except passkeys.PasskeyError:
        return False
    return True

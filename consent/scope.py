"""The scope document an influencer signs: validation and its canonical form (RFC 8785). Pure functions.

The document names the grant, the influencer and the exact template version it was made under, so a signature over
it binds all three: a signature for one grant can never be presented for another, even one with the same choices.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import rfc8785

from consent.texts import MODALITIES

SCOPE_TYPE = "veracast.consent.scope/v1"
# v2 adds `sample`: the vault id and SHA-256 of the training sample the statement was checked against, so the
# signature binds the consent to that exact sample. v1 documents (signed before) keep verifying unchanged.
SCOPE_TYPE_V2 = "veracast.consent.scope/v2"
PURPOSES = ("livestream_ecommerce", "short_video")
PLATFORMS = ("douyin", "taobao", "kuaishou", "wechat_channels", "xiaohongshu", "other")
# At most 12 months: a licence without a bounded term is refused (Civil Code Art. 1022; rules.md CN-CIVIL-LICENSE-TERM).
MAX_TERM = timedelta(days=366)
MAX_CATEGORY_LENGTH = 80


class ScopeError(ValueError):
    """A scope the platform will not accept; `code` is the stable reason, the message says what to fix."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ScopeChoices:
    modalities: tuple[str, ...]
    brand_ids: tuple[str, ...]
    purposes: tuple[str, ...]
    platforms: tuple[str, ...]
    valid_from: datetime
    valid_until: datetime
    hours_per_day: int | None
    excluded_product_categories: tuple[str, ...]


def _choices(values: Any, allowed: tuple[str, ...], *, field: str) -> tuple[str, ...]:
    if not isinstance(values, list | tuple) or not values:
        raise ScopeError(f"Choose at least one of {', '.join(allowed)} for {field}.", code=f"{field}_required")
    unknown = sorted({str(v) for v in values} - set(allowed))
    if unknown:
        raise ScopeError(
            f"Unknown {field}: {', '.join(unknown)} (allowed: {', '.join(allowed)}).", code=f"invalid_{field}"
        )
    return tuple(sorted(set(values)))


def validate_choices(
    *,
    modalities: Any,
    brand_ids: Any,
    purposes: Any,
    platforms: Any,
    valid_from: datetime,
    valid_until: datetime,
    hours_per_day: int | None = None,
    excluded_product_categories: Any = (),
) -> ScopeChoices:
    """Check the influencer's choices; raises ScopeError with a stable code for the first problem."""
    if not isinstance(brand_ids, list | tuple) or not brand_ids:
        raise ScopeError("Name at least one brand the consent is granted to.", code="brands_required")
    if valid_from.tzinfo is None or valid_until.tzinfo is None:
        raise ScopeError("Validity times need a time zone.", code="invalid_validity")
    if valid_until <= valid_from:
        raise ScopeError("valid_until must be after valid_from.", code="invalid_validity")
    if valid_until - valid_from > MAX_TERM:
        raise ScopeError("A consent may last at most 12 months.", code="term_too_long")
    if hours_per_day is not None and (
        isinstance(hours_per_day, bool) or not isinstance(hours_per_day, int) or not 1 <= hours_per_day <= 24
    ):
        raise ScopeError("hours_per_day must be a whole number from 1 to 24.", code="invalid_hours_per_day")
    categories = tuple(sorted({str(c).strip() for c in (excluded_product_categories or ()) if str(c).strip()}))
    if any(len(c) > MAX_CATEGORY_LENGTH for c in categories):
        raise ScopeError("A product category name is too long.", code="invalid_product_category")
    return ScopeChoices(
        modalities=_choices(modalities, MODALITIES, field="modalities"),
        brand_ids=tuple(sorted({str(b) for b in brand_ids})),
        purposes=_choices(purposes, PURPOSES, field="purposes"),
        platforms=_choices(platforms, PLATFORMS, field="platforms"),
        valid_from=valid_from,
        valid_until=valid_until,
        hours_per_day=hours_per_day,
        excluded_product_categories=categories,
    )


def format_time(moment: datetime) -> str:
    """UTC, second precision, `Z`: the one textual form of a time in a scope document."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_scope_document(
    *,
    grant_id: str,
    influencer_id: str,
    template: dict[str, Any],
    brands: list[dict[str, str]],
    choices: ScopeChoices,
) -> dict[str, Any]:
    """The document to sign. `brands` carries each brand's id, name and verified legal entity (legal name and
    USCC: names help the reader, the legal entity says who is bound; ids bind)."""
    return {
        "type": SCOPE_TYPE,
        "grant": grant_id,
        "influencer": influencer_id,
        "template": template,
        "modalities": list(choices.modalities),
        "brands": sorted(brands, key=lambda b: b["id"]),
        "purposes": list(choices.purposes),
        "platforms": list(choices.platforms),
        "valid_from": format_time(choices.valid_from),
        "valid_until": format_time(choices.valid_until),
        "limits": {
            "hours_per_day": choices.hours_per_day,
            "excluded_product_categories": list(choices.excluded_product_categories),
        },
    }


def bind_sample(document: dict[str, Any], *, sample_id: str | None, sample_sha256: str | None) -> dict[str, Any]:
    """The document as v2, naming the training sample the statement was compared with (None: no sample on file,
    so no avatar can be built under it until a new statement check binds one)."""
    bound = {key: value for key, value in document.items() if key != "sample"}
    bound["type"] = SCOPE_TYPE_V2
    bound["sample"] = {"id": sample_id, "sha256": sample_sha256} if sample_id else None
    return bound


def canonical(document: dict[str, Any]) -> str:
    return rfc8785.dumps(document).decode("utf-8")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def challenge_for(canonical_text: str) -> bytes:
    """The WebAuthn challenge that binds a signature to a document: the 32 bytes of its SHA-256."""
    return hashlib.sha256(canonical_text.encode("utf-8")).digest()


def revocation_document(*, grant_id: str, scope_sha256: str) -> dict[str, Any]:
    """What a revocation signs: the grant and the hash of the document it ends."""
    return {"type": "veracast.consent.revocation/v1", "grant": grant_id, "scope_sha256": scope_sha256}

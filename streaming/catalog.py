"""Catalog workflows: products, their images and FAQ, and the CSV import. Each write records its ledger event in the
same transaction. Refusals are `DomainError`s with a stable code and a sentence (400 for bad values).

Who may call these is decided by the caller (API views and pages check `selectors.can_write_catalog`); the
command `import_catalog` is an operator's shell and acts as "system".
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from accounts.models import Organisation, User
from audit.services import record_event
from common.api import DomainError
from streaming import catalog_csv, categories
from streaming.catalog_csv import CatalogFileError, FaqRow, ProductRow, RowError
from streaming.models import MAX_SELLING_POINT_LENGTH, MAX_SELLING_POINTS, MAX_VARIANTS, FaqEntry, Product, ProductImage

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGES_PER_PRODUCT = 20
PRODUCT_FIELDS = ("name", "price", "currency", "category", "selling_points")
FAQ_FIELDS = ("variants", "answer")

Actor = User | str | None


def _invalid(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, status_code=400)


# Values --------------------------------------------------------------------------------------------------------------


def _price(value: Any, *, field_name: str = "price") -> Decimal:
    if isinstance(value, float):
        raise TypeError("Prices are Decimals or strings, never floats.")
    try:
        return catalog_csv.parse_price(str(value).strip())
    except ValueError as refusal:
        raise _invalid(f"{field_name}: {refusal}", "invalid_price") from None


def _text(value: Any, *, name: str, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise _invalid(f"The {name} cannot be empty.", f"invalid_{name.replace(' ', '_')}")
    if len(text) > limit:
        raise _invalid(f"The {name} is longer than {limit} characters.", f"invalid_{name.replace(' ', '_')}")
    return text


def _items(values: Any, *, name: str, most: int, limit: int) -> list[str]:
    if isinstance(values, str):
        values = values.split("|")
    items = [str(v).strip() for v in (values or []) if str(v).strip()]
    if len(items) > most or any(len(item) > limit for item in items):
        raise _invalid(f"At most {most} {name} of at most {limit} characters each.", f"invalid_{name}")
    return items


def _category(value: Any) -> str:
    code = str(value or "").strip().lower()
    if not categories.is_category(code):
        raise _invalid(f"“{code}” is not a category; use one of {', '.join(categories.CODES)}.", "invalid_category")
    return code


def _currency(value: Any) -> str:
    code = str(value or "CNY").strip().upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise _invalid(f"“{code}” is not a three-letter currency code such as CNY.", "invalid_currency")
    return code


def _stock_url(value: Any) -> str:
    url = str(value or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise _invalid("The stock link must be an http or https address.", "invalid_stock_url") from None
        if len(url) > 500:
            raise _invalid("The stock link is longer than 500 characters.", "invalid_stock_url")
    return url


def _as_str(value: Any) -> Any:
    """A value as the ledger writes it (Decimals and dates as strings: JSON has no exact decimals)."""
    if isinstance(value, Decimal | date):
        return str(value)
    return value


# Products ------------------------------------------------------------------------------------------------------------


def create_product(
    *,
    organisation: Organisation,
    actor: Actor,
    sku: str,
    name: str,
    price: Decimal | str,
    category: str,
    currency: str = "CNY",
    selling_points: Sequence[str] = (),
    stock_url: str = "",
) -> Product:
    product = Product(
        organisation=organisation,
        sku=_text(sku, name="sku", limit=64),
        name=_text(name, name="name", limit=200),
        price=_price(price),
        currency=_currency(currency),
        category=_category(category),
        selling_points=_items(
            selling_points, name="selling_points", most=MAX_SELLING_POINTS, limit=MAX_SELLING_POINT_LENGTH
        ),
        stock_url=_stock_url(stock_url),
    )
    with transaction.atomic():
        try:
            with transaction.atomic():  # a concurrent create of the same sku meets the unique constraint here
                product.save()
        except IntegrityError:
            raise DomainError(
                f"This brand already has a product with sku {product.sku}.", code="duplicate_sku"
            ) from None
        record_event(
            kind="product.created",
            subject=product.subject,
            payload={
                "product": str(product.public_id),
                "sku": product.sku,
                "name": product.name,
                "price": str(product.price),
                "currency": product.currency,
                "category": product.category,
            },
            actor=actor,
            organisation=organisation,
        )
    return product


@dataclass(frozen=True)
class OriginalPrice:
    """An earlier price and the proof that the product sold at it: a note and/or a file, and when it applied."""

    price: Decimal | str
    valid_from: date
    valid_until: date
    note: str = ""
    evidence: IO[bytes] | None = None


def update_product(*, product: Product, actor: Actor, **changes: Any) -> Product:
    """Change any of name, price, currency, category, selling_points, stock_url; `original_price` takes an
    OriginalPrice or None (to remove it). Records `product.updated` with the fields that changed (old and new)."""
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            clean[key] = _text(value, name="name", limit=200)
        elif key == "sku":
            clean[key] = _text(value, name="sku", limit=64)
        elif key == "price":
            clean[key] = _price(value)
        elif key == "currency":
            clean[key] = _currency(value)
        elif key == "category":
            clean[key] = _category(value)
        elif key == "selling_points":
            clean[key] = _items(value, name="selling_points", most=MAX_SELLING_POINTS, limit=MAX_SELLING_POINT_LENGTH)
        elif key == "stock_url":
            clean[key] = _stock_url(value)
        elif key != "original_price":
            raise TypeError(f"update_product() got an unexpected field {key!r}")
    evidence_name = ""
    if "original_price" in changes:
        original: OriginalPrice | None = changes["original_price"]
        if original is None:
            clean.update(
                original_price=None,
                original_price_note="",
                original_price_evidence="",
                original_price_from=None,
                original_price_until=None,
            )
        else:
            clean.update(_original_price(product, original))
            if original.evidence is not None:
                evidence_name = _store_file(product, original.evidence, kind="evidence")
                clean["original_price_evidence"] = evidence_name
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        new_sku = clean.get("sku", locked.sku)
        if (
            new_sku != locked.sku
            and Product.objects.filter(organisation_id=locked.organisation_id, sku=new_sku).exists()
        ):
            raise DomainError(f"This brand already has a product with sku {clean['sku']}.", code="duplicate_sku")
        diff = {
            key: [_as_str(getattr(locked, key)), _as_str(value)]
            for key, value in clean.items()
            if getattr(locked, key) != value
        }
        if not diff:
            return locked
        for key, value in clean.items():
            setattr(locked, key, value)
        locked.updated_at = timezone.now()
        locked.save()
        record_event(
            kind="product.updated",
            subject=locked.subject,
            payload={"product": str(locked.public_id), "sku": locked.sku, "changes": diff},
            actor=actor,
            organisation=locked.organisation,
        )
    return locked


def _original_price(product: Product, original: OriginalPrice) -> dict[str, Any]:
    price = _price(original.price, field_name="original price")
    note = _text(original.note, name="note", limit=2000, required=False)
    if not note and original.evidence is None and not product.original_price_evidence:
        raise _invalid(
            "An original price needs evidence that the product sold at it: a note, a file, or both.",
            "original_price_without_evidence",
        )
    if original.valid_from > original.valid_until:
        raise _invalid("The original price's period must start before it ends.", "invalid_original_price_period")
    if original.valid_until > timezone.localdate():
        raise _invalid("An original price is an earlier price: its period must have ended.", "original_price_not_past")
    return {
        "original_price": price,
        "original_price_note": note,
        "original_price_from": original.valid_from,
        "original_price_until": original.valid_until,
    }


def delete_product(*, product: Product, actor: Actor) -> None:
    with transaction.atomic():
        record_event(
            kind="product.deleted",
            subject=product.subject,
            payload={"product": str(product.public_id), "sku": product.sku},
            actor=actor,
            organisation=product.organisation,
        )
        product.delete()


# Files ---------------------------------------------------------------------------------------------------------------


def _read_upload(upload: IO[bytes]) -> bytes:
    limit = settings.CATALOG_IMAGE_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _invalid(f"The file is larger than {limit // (1024 * 1024) or 1} MiB.", "file_too_large")
    if not data:
        raise _invalid("The file is empty.", "empty_file")
    return data


def _image_facts(data: bytes) -> tuple[str, str, int, int]:
    """(content type, extension, width, height) of a real JPEG, PNG or WebP image; DomainError otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # checks the file's structure without decoding every pixel
        with Image.open(io.BytesIO(data)) as image:
            fmt, (width, height) = image.format or "", image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _invalid("The file is not a JPEG, PNG or WebP image.", "invalid_image") from None
    if fmt not in IMAGE_FORMATS:
        raise _invalid("The file is not a JPEG, PNG or WebP image.", "invalid_image")
    if width * height > MAX_IMAGE_PIXELS:
        raise _invalid("The image has too many pixels.", "invalid_image")
    content_type, extension = IMAGE_FORMATS[fmt]
    return content_type, extension, width, height


def _store_file(product: Product, upload: IO[bytes], *, kind: str) -> str:
    data = _read_upload(upload)
    extension = "pdf" if data.startswith(b"%PDF-") else _image_facts(data)[1]
    name = f"catalog/{product.organisation.public_id}/{product.public_id}/{kind}-{uuid.uuid4().hex}.{extension}"
    return default_storage.save(name, ContentFile(data))


def add_product_image(*, product: Product, actor: Actor, upload: IO[bytes]) -> ProductImage:
    data = _read_upload(upload)
    content_type, extension, width, height = _image_facts(data)
    if product.images.count() >= MAX_IMAGES_PER_PRODUCT:
        raise DomainError(f"A product has at most {MAX_IMAGES_PER_PRODUCT} images.", code="too_many_images")
    digest = hashlib.sha256(data).hexdigest()
    name = f"catalog/{product.organisation.public_id}/{product.public_id}/image-{uuid.uuid4().hex}.{extension}"
    stored = default_storage.save(name, ContentFile(data))
    with transaction.atomic():
        image = ProductImage.objects.create(
            product=product, storage_name=stored, content_type=content_type, width=width, height=height, sha256=digest
        )
        record_event(
            kind="product.image_added",
            subject=product.subject,
            payload={"product": str(product.public_id), "image": str(image.public_id), "sha256": digest},
            actor=actor,
            organisation=product.organisation,
        )
    return image


def remove_product_image(*, image: ProductImage, actor: Actor) -> None:
    product = image.product
    with transaction.atomic():
        record_event(
            kind="product.image_removed",
            subject=product.subject,
            payload={"product": str(product.public_id), "image": str(image.public_id), "sha256": image.sha256},
            actor=actor,
            organisation=product.organisation,
        )
        stored = image.storage_name
        image.delete()
        transaction.on_commit(lambda: default_storage.delete(stored))


# FAQ -----------------------------------------------------------------------------------------------------------------


def _language(value: Any) -> str:
    language = str(value or "").strip().lower()
    if language not in FaqEntry.Language.values:
        raise _invalid("The language is zh or en.", "invalid_language")
    return language


def create_faq_entry(
    *, product: Product, actor: Actor, language: str, question: str, answer: str, variants: Sequence[str] = ()
) -> FaqEntry:
    entry = FaqEntry(
        product=product,
        language=_language(language),
        question=_text(question, name="question", limit=500),
        variants=_items(variants, name="variants", most=MAX_VARIANTS, limit=500),
        answer=_text(answer, name="answer", limit=2000),
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            raise DomainError(
                "This product already has that question in that language.", code="duplicate_question"
            ) from None
        record_event(
            kind="faq.created",
            subject=product.subject,
            payload={
                "product": str(product.public_id),
                "faq": str(entry.public_id),
                "language": entry.language,
                "question": entry.question,
                "answer_sha256": hashlib.sha256(entry.answer.encode()).hexdigest(),
            },
            actor=actor,
            organisation=product.organisation,
        )
    return entry


def update_faq_entry(*, entry: FaqEntry, actor: Actor, **changes: Any) -> FaqEntry:
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "language":
            clean[key] = _language(value)
        elif key == "question":
            clean[key] = _text(value, name="question", limit=500)
        elif key == "variants":
            clean[key] = _items(value, name="variants", most=MAX_VARIANTS, limit=500)
        elif key == "answer":
            clean[key] = _text(value, name="answer", limit=2000)
        else:
            raise TypeError(f"update_faq_entry() got an unexpected field {key!r}")
    with transaction.atomic():
        locked = FaqEntry.objects.select_for_update().select_related("product__organisation").get(pk=entry.pk)
        changed = sorted(key for key, value in clean.items() if getattr(locked, key) != value)
        if not changed:
            return locked
        for key in changed:
            setattr(locked, key, clean[key])
        clash = FaqEntry.objects.filter(
            product_id=locked.product_id, language=locked.language, question=locked.question
        )
        if clash.exclude(pk=locked.pk).exists():
            raise DomainError("This product already has that question in that language.", code="duplicate_question")
        locked.updated_at = timezone.now()
        locked.save()
        record_event(
            kind="faq.updated",
            subject=locked.product.subject,
            payload={
                "product": str(locked.product.public_id),
                "faq": str(locked.public_id),
                "fields": changed,
                "answer_sha256": hashlib.sha256(locked.answer.encode()).hexdigest(),
            },
            actor=actor,
            organisation=locked.product.organisation,
        )
    return locked


def delete_faq_entry(*, entry: FaqEntry, actor: Actor) -> None:
    product = entry.product
    with transaction.atomic():
        record_event(
            kind="faq.deleted",
            subject=product.subject,
            payload={"product": str(product.public_id), "faq": str(entry.public_id)},
            actor=actor,
            organisation=product.organisation,
        )
        entry.delete()


# CSV import ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    file: str  # "products" or "faq"
    line: int
    key: str  # the sku, or "sku · language · question"
    action: str  # "new", "changed" or "unchanged"
    changes: tuple[FieldChange, ...]


@dataclass
class ImportPreview:
    """What applying the files would do, row by row, and every row error (nothing is applied while any remain)."""

    rows: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, file: str, action: str) -> int:
        return sum(1 for row in self.rows if row.file == file and row.action == action)

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        return {f: {a: self.count(f, a) for a in ("new", "changed", "unchanged")} for f in ("products", "faq")}


class ImportRefusedError(DomainError):
    """The files have row errors: nothing was applied. The preview lists them."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(
            f"The import has {len(preview.errors)} row error(s); nothing was imported. Fix them and try again.",
            code="import_has_errors",
            status_code=400,
        )
        self.preview = preview


def _read_file(upload: IO[bytes] | bytes, name: str, preview: ImportPreview) -> str:
    try:
        data = (
            upload
            if isinstance(upload, bytes)
            else catalog_csv.read_limited(upload, max_bytes=settings.CATALOG_IMPORT_MAX_BYTES)
        )
        if len(data) > settings.CATALOG_IMPORT_MAX_BYTES:
            raise CatalogFileError("The file is too large; split it into smaller files.", code="file_too_large")
        text, encoding = catalog_csv.decode(data)
    except CatalogFileError as refusal:
        raise DomainError(f"{name}: {refusal.message}", code=refusal.code, status_code=400) from None
    preview.sha256[name] = hashlib.sha256(data).hexdigest()
    preview.encodings[name] = encoding
    return text


def _diff(current: Any, wanted: dict[str, Any], fields: tuple[str, ...]) -> tuple[FieldChange, ...]:
    if current is None:
        return tuple(FieldChange(f, None, _as_str(wanted[f])) for f in fields)
    return tuple(
        FieldChange(f, _as_str(getattr(current, f)), _as_str(wanted[f]))
        for f in fields
        if getattr(current, f) != wanted[f]
    )


def _product_values(row: ProductRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "price": row.price,
        "currency": row.currency,
        "category": row.category,
        "selling_points": list(row.selling_points),
    }


def _faq_values(row: FaqRow) -> dict[str, Any]:
    return {"variants": list(row.variants), "answer": row.answer}


@dataclass
class _Plan:
    preview: ImportPreview
    products: list[ProductRow]
    faq: list[FaqRow]


def _plan(
    organisation: Organisation, products: IO[bytes] | bytes | None, faq: IO[bytes] | bytes | None, *, lock: bool
) -> _Plan:
    if products is None and faq is None:
        raise _invalid("Choose a products file, an FAQ file, or both.", "no_files")
    preview = ImportPreview()
    parsed = catalog_csv.Parsed()
    max_rows = settings.CATALOG_IMPORT_MAX_ROWS
    query = Product.objects.filter(organisation=organisation)
    if lock:
        query = query.select_for_update()
    existing = {p.sku: p for p in query}
    try:
        if products is not None:
            catalog_csv.parse_products(_read_file(products, "products", preview), parsed, max_rows=max_rows)
        if faq is not None:
            known = set(existing) | {row.sku for row in parsed.products}
            text = _read_file(faq, "faq", preview)
            catalog_csv.parse_faq(text, parsed, max_rows=max_rows, known_skus=known)
    except CatalogFileError as refusal:
        raise DomainError(refusal.message, code=refusal.code, status_code=400) from None
    preview.errors = sorted(parsed.errors, key=lambda e: (e.file != "products", e.line))
    for row in parsed.products:
        current = existing.get(row.sku)
        changes = _diff(current, _product_values(row), PRODUCT_FIELDS)
        action = "new" if current is None else ("changed" if changes else "unchanged")
        preview.rows.append(RowChange("products", row.line, row.sku, action, changes))
    faq_now: dict[tuple[str, str, str], FaqEntry] = {}
    if parsed.faq:
        entries = FaqEntry.objects.filter(product__organisation=organisation).select_related("product")
        faq_now = {(e.product.sku, e.language, e.question): e for e in entries}
    for faq_row in parsed.faq:
        key = (faq_row.sku, faq_row.language, faq_row.question)
        entry = faq_now.get(key)
        changes = _diff(entry, _faq_values(faq_row), FAQ_FIELDS)
        action = "new" if entry is None else ("changed" if changes else "unchanged")
        preview.rows.append(RowChange("faq", faq_row.line, " · ".join(key), action, changes))
    return _Plan(preview, parsed.products, parsed.faq)


def preview_import(
    *, organisation: Organisation, products: IO[bytes] | bytes | None = None, faq: IO[bytes] | bytes | None = None
) -> ImportPreview:
    """What `import_catalog` would change, and every row error; changes nothing. A file-level problem (encoding,
    missing column, too many rows, too large) raises DomainError (400) with its own code."""
    return _plan(organisation, products, faq, lock=False).preview


def import_catalog(
    *,
    organisation: Organisation,
    actor: Actor,
    products: IO[bytes] | bytes | None = None,
    faq: IO[bytes] | bytes | None = None,
) -> ImportPreview:
    """Apply the files all or nothing: one transaction, and a file with any row error applies nothing
    (`ImportRefusedError`, carrying the preview). Products are matched by sku, FAQ entries by (sku, language, question);
    nothing absent from the files is deleted. Records one `catalog.imported` event with the files' hashes."""
    try:
        return _apply(organisation, actor, products, faq)
    except IntegrityError:
        # Someone added the same sku or question while this import ran: nothing of it was stored.
        raise DomainError(
            "The catalog changed while the file was being imported; nothing was imported. Try again.",
            code="catalog_changed",
        ) from None


def _apply(
    organisation: Organisation, actor: Actor, products: IO[bytes] | bytes | None, faq: IO[bytes] | bytes | None
) -> ImportPreview:
    now = timezone.now()
    with transaction.atomic():
        plan = _plan(organisation, products, faq, lock=True)
        if not plan.preview.ok:
            raise ImportRefusedError(plan.preview)
        by_sku = {p.sku: p for p in Product.objects.filter(organisation=organisation)}
        actions = {(row.file, row.line): row.action for row in plan.preview.rows}
        new_products = []
        for row in plan.products:
            action = actions[("products", row.line)]
            values = _product_values(row)
            if action == "new":
                new_products.append(
                    Product(organisation=organisation, sku=row.sku, created_at=now, updated_at=now, **values)
                )
            elif action == "changed":
                product = by_sku[row.sku]
                for key, value in values.items():
                    setattr(product, key, value)
                product.updated_at = now
                product.save()
        for product in Product.objects.bulk_create(new_products, batch_size=500):
            by_sku[product.sku] = product
        entries = {
            (e.product_id, e.language, e.question): e
            for e in FaqEntry.objects.filter(product__organisation=organisation).select_for_update()
        }
        new_entries = []
        for faq_row in plan.faq:
            product = by_sku[faq_row.sku]
            action = actions[("faq", faq_row.line)]
            if action == "new":
                new_entries.append(
                    FaqEntry(
                        product=product,
                        language=faq_row.language,
                        question=faq_row.question,
                        created_at=now,
                        updated_at=now,
                        **_faq_values(faq_row),
                    )
                )
            elif action == "changed":
                entry = entries[(product.pk, faq_row.language, faq_row.question)]
                entry.variants, entry.answer, entry.updated_at = list(faq_row.variants), faq_row.answer, now
                entry.save()
        FaqEntry.objects.bulk_create(new_entries, batch_size=500)
        counts = plan.preview.counts
        record_event(
            kind="catalog.imported",
            subject=f"organisation:{organisation.public_id}",
            payload={
                "files": dict(plan.preview.sha256),
                "products": counts["products"],
                "faq": counts["faq"],
                "changed_skus": sorted(
                    {r.key for r in plan.preview.rows if r.file == "products" and r.action != "unchanged"}
                )[:1000],
            },
            actor=actor,
            organisation=organisation,
        )
    return plan.preview

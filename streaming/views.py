"""Catalog pages (server-rendered, framed by portal/base.html): the product list of a brand, a product's form with
its images and FAQ, and the CSV import with its preview.

Plain HTML forms post here; each POST calls one service. A refusal (`DomainError`) is shown as the sentence the
service wrote, never as an error page. The import keeps the uploaded files in storage between the preview and the
apply (named by a token held in the session, bound to the brand): the apply re-reads and re-checks them inside its
transaction, so what is applied is exactly what was previewed or nothing.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from accounts.selectors import get_visible_organisation
from common.api import DomainError
from streaming import catalog_csv, categories, selectors, services
from streaming.models import FaqEntry, Product

SESSION_KEY = "catalog_import"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _brand(request: HttpRequest, public_id: Any, *, write: bool = False) -> Organisation:
    brand = get_visible_organisation(_user(request), public_id)
    if write and not selectors.can_write_catalog(_user(request), brand.pk):
        raise PermissionDenied(_("Only the brand's owners, editors and operators may change its catalog."))
    return brand


def _product(request: HttpRequest, product_id: str, *, write: bool = False) -> Product:
    product = selectors.get_visible_product(_user(request), product_id)
    if write and not selectors.can_write_catalog(_user(request), product.organisation_id):
        raise PermissionDenied(_("Only the brand's owners, editors and operators may change its catalog."))
    return product


def _base(active: Organisation | None, request: HttpRequest) -> dict[str, Any]:
    return {
        "brands": selectors.readable_brands_for(_user(request)),
        "brand": active,
        "can_write": active is not None and selectors.can_write_catalog(_user(request), active.pk),
        "categories": categories.CATEGORIES,
        "active_nav": "catalog",
    }


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    brands = selectors.readable_brands_for(_user(request))
    wanted = request.GET.get("brand")
    brand = _brand(request, wanted) if wanted else brands.first()
    context = _base(brand, request)
    if brand is not None:
        query = request.GET.get("q", "")[:100]
        context["query"] = query
        context["products"] = selectors.search(selectors.list_products_for(_user(request), organisation=brand), query)[
            :500
        ]
    return render(request, "streaming/catalog.html", context)


def _values(post: Any) -> dict[str, Any]:
    return {
        "sku": post.get("sku", ""),
        "name": post.get("name", ""),
        "price": post.get("price", ""),
        "currency": post.get("currency", "") or "CNY",
        "category": post.get("category", ""),
        "selling_points": [line for line in post.get("selling_points", "").splitlines() if line.strip()],
        "stock_url": post.get("stock_url", ""),
    }


def _original(request: HttpRequest) -> services.OriginalPrice | None:
    post = request.POST
    if not post.get("original_price", "").strip():
        return None
    try:
        valid_from = date.fromisoformat(post.get("original_price_from", ""))
        valid_until = date.fromisoformat(post.get("original_price_until", ""))
    except ValueError:
        raise DomainError(
            _("Give the dates the original price applied (from and until)."), code="invalid_original_price_period"
        ) from None
    return services.OriginalPrice(
        price=post["original_price"],
        valid_from=valid_from,
        valid_until=valid_until,
        note=post.get("original_price_note", ""),
        evidence=request.FILES.get("original_price_evidence"),
    )


@login_required
def product_new(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    brand = _brand(request, public_id, write=True)
    form: dict[str, Any] = {"currency": "CNY"}
    if request.method == "POST":
        form = _values(request.POST)
        try:
            original = _original(request)
            product = services.create_product(organisation=brand, actor=_user(request), **form)
            if original is not None:
                services.update_product(product=product, actor=_user(request), original_price=original)
        except DomainError as refusal:
            messages.error(request, str(refusal.detail))
        else:
            messages.success(request, _("The product %(sku)s was added.") % {"sku": product.sku})
            return redirect(reverse("catalog:product", args=[product.public_id]))
    return render(request, "streaming/product_form.html", {**_base(brand, request), "form": form, "product": None})


@login_required
def product_edit(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _product(request, product_id, write=request.method == "POST")
    if request.method == "POST":
        changes: dict[str, Any] = _values(request.POST)
        try:
            original = _original(request)
            if original is not None:
                changes["original_price"] = original
            elif request.POST.get("remove_original_price"):
                changes["original_price"] = None
            services.update_product(product=product, actor=_user(request), **changes)
        except DomainError as refusal:
            messages.error(request, str(refusal.detail))
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("catalog:product", args=[product.public_id]))
    product = _product(request, product_id)
    form = {
        "sku": product.sku,
        "name": product.name,
        "price": product.price,
        "currency": product.currency,
        "category": product.category,
        "selling_points": product.selling_points,
        "stock_url": product.stock_url,
    }
    if request.method == "POST":
        form = _values(request.POST)
    context = {
        **_base(product.organisation, request),
        "form": form,
        "product": product,
        "languages": FaqEntry.Language.choices,
    }
    return render(request, "streaming/product_form.html", context)


def _attempt(request: HttpRequest, action: Any, success: str) -> None:
    try:
        action()
    except DomainError as refusal:
        messages.error(request, str(refusal.detail))
    else:
        messages.success(request, success)


@login_required
@require_POST
def product_delete(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _product(request, product_id, write=True)
    brand = product.organisation
    services.delete_product(product=product, actor=_user(request))
    messages.success(request, _("The product %(sku)s was removed.") % {"sku": product.sku})
    return redirect(f"{reverse('catalog:list')}?brand={brand.public_id}")


@login_required
@require_POST
def product_image_add(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _product(request, product_id, write=True)
    upload = request.FILES.get("image")
    if upload is None:
        messages.error(request, _("Choose an image file first."))
    else:
        _attempt(
            request,
            lambda: services.add_product_image(product=product, actor=_user(request), upload=upload),
            _("The image was added."),
        )
    return redirect(reverse("catalog:product", args=[product.public_id]))


@login_required
@require_POST
def faq_save(request: HttpRequest, product_id: str) -> HttpResponse:
    """Add an FAQ entry, or change or delete the one named by `faq`."""
    product = _product(request, product_id, write=True)
    post = request.POST
    values: dict[str, Any] = {
        "language": post.get("language", ""),
        "question": post.get("question", ""),
        "variants": [line for line in post.get("variants", "").splitlines() if line.strip()],
        "answer": post.get("answer", ""),
    }
    if post.get("faq"):
        entry = selectors.get_visible_faq_entry(_user(request), product, post["faq"])
        if post.get("delete"):
            _attempt(
                request,
                lambda: services.delete_faq_entry(entry=entry, actor=_user(request)),
                _("The question was removed."),
            )
        else:
            _attempt(
                request,
                lambda: services.update_faq_entry(entry=entry, actor=_user(request), **values),
                _("The answer was saved."),
            )
    else:
        _attempt(
            request,
            lambda: services.create_faq_entry(product=product, actor=_user(request), **values),
            _("The question was added."),
        )
    return redirect(reverse("catalog:product", args=[product.public_id]) + "#faq")


# CSV import ----------------------------------------------------------------------------------------------------------


def _stash(request: HttpRequest, brand: Organisation) -> dict[str, str]:
    """Keep the uploaded files until the apply; refuses files over the size limit before storing them."""
    token = uuid.uuid4().hex
    stored: dict[str, str] = {}
    for name in ("products", "faq"):
        upload = request.FILES.get(name)
        if upload is None:
            continue
        try:
            data = catalog_csv.read_limited(upload, max_bytes=settings.CATALOG_IMPORT_MAX_BYTES)
        except catalog_csv.CatalogFileError as refusal:
            raise DomainError(f"{name}: {refusal.message}", code=refusal.code, status_code=400) from None
        stored[name] = default_storage.save(f"catalog-imports/{brand.public_id}/{token}-{name}.csv", ContentFile(data))
    request.session[SESSION_KEY] = {"token": token, "brand": str(brand.public_id), "files": stored}
    return stored


def _stashed(request: HttpRequest, brand: Organisation, token: str) -> dict[str, bytes]:
    held = request.session.get(SESSION_KEY) or {}
    if held.get("token") != token or held.get("brand") != str(brand.public_id):
        raise DomainError(_("That preview is no longer open; upload the files again."), code="preview_expired")
    files: dict[str, bytes] = {}
    for name, stored in held["files"].items():
        if not default_storage.exists(stored):
            raise DomainError(_("That preview is no longer open; upload the files again."), code="preview_expired")
        with default_storage.open(stored, "rb") as handle:
            files[name] = handle.read()
    return files


def _forget(request: HttpRequest) -> None:
    held = request.session.pop(SESSION_KEY, None) or {}
    for stored in (held.get("files") or {}).values():
        default_storage.delete(stored)


@login_required
def catalog_import(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    brand = _brand(request, public_id, write=True)
    context: dict[str, Any] = {
        **_base(brand, request),
        "product_columns": catalog_csv.PRODUCT_COLUMNS,
        "faq_columns": catalog_csv.FAQ_COLUMNS,
        "max_rows": settings.CATALOG_IMPORT_MAX_ROWS,
    }
    if request.method == "POST" and request.POST.get("action") == "apply":
        try:
            files = _stashed(request, brand, request.POST.get("token", ""))
            preview = services.import_catalog(organisation=brand, actor=_user(request), **files)
        except services.ImportRefusedError as refusal:
            messages.error(request, str(refusal.detail))
            context.update(preview=refusal.preview, token=request.POST.get("token", ""))
        except DomainError as refusal:
            messages.error(request, str(refusal.detail))
        else:
            _forget(request)
            counts = preview.counts
            messages.success(
                request,
                _("Imported: %(pn)s new and %(pc)s changed products, %(fn)s new and %(fc)s changed FAQ entries.")
                % {
                    "pn": counts["products"]["new"],
                    "pc": counts["products"]["changed"],
                    "fn": counts["faq"]["new"],
                    "fc": counts["faq"]["changed"],
                },
            )
            return redirect(f"{reverse('catalog:list')}?brand={brand.public_id}")
    elif request.method == "POST":
        _forget(request)
        try:
            if not request.FILES:
                raise DomainError(_("Choose a products file, an FAQ file, or both."), code="no_files")
            stored = _stash(request, brand)
            files = {}
            for name, storage_name in stored.items():
                with default_storage.open(storage_name, "rb") as handle:
                    files[name] = handle.read()
            context["preview"] = services.preview_import(organisation=brand, **files)
            context["token"] = request.session[SESSION_KEY]["token"]
        except DomainError as refusal:
            _forget(request)
            context["file_error"] = str(refusal.detail)
    return render(request, "streaming/import.html", context)

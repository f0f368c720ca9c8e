"""Catalog API views: parse, call a service or selector, serialize. URL map in streaming/api_urls.py.

Who may do what: members of the brand (any role), platform staff and platform auditors read; owners, editors and
operators of the brand create and change; everyone else who sees the brand is refused writes (403); anyone else
meets 404 for the brand's ids. Prices are decimal strings. The CSV import takes multipart uploads.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation, User
from accounts.permissions import DenyAuditorWrites
from accounts.selectors import get_visible_organisation
from common.api import DomainError
from streaming import categories, selectors, services
from streaming.models import Product
from streaming.serializers import (
    CategorySerializer,
    FaqEntrySerializer,
    FaqPatchSerializer,
    FaqWriteSerializer,
    ImageUploadSerializer,
    ImportPreviewSerializer,
    ImportRefusedSerializer,
    ImportUploadSerializer,
    ProductImageSerializer,
    ProductPatchSerializer,
    ProductSerializer,
    ProductWriteSerializer,
)

PERMISSIONS: tuple[type[BasePermission], ...] = (IsAuthenticated, DenyAuditorWrites)
MAX_LIST = 500


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _require_writer(user: User, organisation_id: int) -> None:
    if not selectors.can_write_catalog(user, organisation_id):
        raise DomainError(
            "Only the brand's owners, editors and operators may change its catalog.",
            code="permission_denied",
            status_code=403,
        )


def _original(values: dict[str, Any]) -> dict[str, Any]:
    if "original_price" not in values:
        return {}
    original = values.pop("original_price")
    if original is None:
        return {"original_price": None}
    return {
        "original_price": services.OriginalPrice(
            price=original["price"],
            valid_from=original["valid_from"],
            valid_until=original["valid_until"],
            note=original.get("note", ""),
        )
    }


def preview_data(preview: services.ImportPreview) -> dict[str, Any]:
    return {
        "ok": preview.ok,
        "counts": preview.counts,
        "rows": [asdict(row) for row in preview.rows],
        "errors": [asdict(error) for error in preview.errors],
        "sha256": preview.sha256,
        "encodings": preview.encodings,
    }


class CategoryListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=CategorySerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response([{"code": c.code, "en": c.en, "zh": c.zh} for c in categories.CATEGORIES])


class BrandProductListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Part of a sku or name.")],
        responses=ProductSerializer(many=True),
    )
    def get(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        products = selectors.search(
            selectors.list_products_for(_user(request), organisation=brand), request.query_params.get("q", "")[:100]
        )
        return Response(ProductSerializer(products[:MAX_LIST], many=True).data)

    @extend_schema(request=ProductWriteSerializer, responses={201: ProductSerializer})
    def post(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        _require_writer(_user(request), brand.pk)
        data = ProductWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        original = _original(values)
        product = services.create_product(organisation=brand, actor=_user(request), **values)
        if original:
            product = services.update_product(product=product, actor=_user(request), **original)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailView(APIView):
    permission_classes = PERMISSIONS

    def _product(self, request: Request, product_id: str, *, write: bool) -> Product:
        product = selectors.get_visible_product(_user(request), product_id)
        if write:
            _require_writer(_user(request), product.organisation_id)
        return product

    @extend_schema(responses=ProductSerializer)
    def get(self, request: Request, product_id: str) -> Response:
        return Response(ProductSerializer(self._product(request, product_id, write=False)).data)

    @extend_schema(request=ProductPatchSerializer, responses=ProductSerializer)
    def patch(self, request: Request, product_id: str) -> Response:
        product = self._product(request, product_id, write=True)
        data = ProductPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.update(_original(values))
        services.update_product(product=product, actor=_user(request), **values)
        return Response(ProductSerializer(selectors.get_visible_product(_user(request), product_id)).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, product_id: str) -> Response:
        product = self._product(request, product_id, write=True)
        services.delete_product(product=product, actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductImageListView(APIView):
    permission_classes = PERMISSIONS
    parser_classes = (MultiPartParser,)

    @extend_schema(request={"multipart/form-data": ImageUploadSerializer}, responses={201: ProductImageSerializer})
    def post(self, request: Request, product_id: str) -> Response:
        product = selectors.get_visible_product(_user(request), product_id)
        _require_writer(_user(request), product.organisation_id)
        data = ImageUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image = services.add_product_image(product=product, actor=_user(request), upload=data.validated_data["image"])
        return Response(ProductImageSerializer(image).data, status=status.HTTP_201_CREATED)


class ProductImageDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
    def get(self, request: Request, product_id: str, image_id: str) -> HttpResponse:
        product = selectors.get_visible_product(_user(request), product_id)
        image = product.images.filter(public_id=selectors._uuid(image_id)).first()
        if image is None or not default_storage.exists(image.storage_name):
            raise DomainError("No such image.", code="not_found", status_code=404)
        # Images are small (CATALOG_IMAGE_MAX_BYTES): answered whole, and cached privately by the browser.
        with default_storage.open(image.storage_name, "rb") as handle:
            response = HttpResponse(handle.read(), content_type=image.content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, product_id: str, image_id: str) -> Response:
        product = selectors.get_visible_product(_user(request), product_id)
        _require_writer(_user(request), product.organisation_id)
        image = product.images.filter(public_id=selectors._uuid(image_id)).first()
        if image is None:
            raise DomainError("No such image.", code="not_found", status_code=404)
        services.remove_product_image(image=image, actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FaqListView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=FaqEntrySerializer(many=True))
    def get(self, request: Request, product_id: str) -> Response:
        product = selectors.get_visible_product(_user(request), product_id)
        return Response(FaqEntrySerializer(product.faq.all(), many=True).data)

    @extend_schema(request=FaqWriteSerializer, responses={201: FaqEntrySerializer})
    def post(self, request: Request, product_id: str) -> Response:
        product = selectors.get_visible_product(_user(request), product_id)
        _require_writer(_user(request), product.organisation_id)
        data = FaqWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.create_faq_entry(product=product, actor=_user(request), **data.validated_data)
        return Response(FaqEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class FaqDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=FaqEntrySerializer)
    def get(self, request: Request, product_id: str, faq_id: str) -> Response:
        product = selectors.get_visible_product(_user(request), product_id)
        return Response(FaqEntrySerializer(selectors.get_visible_faq_entry(_user(request), product, faq_id)).data)

    @extend_schema(request=FaqPatchSerializer, responses=FaqEntrySerializer)
    def patch(self, request: Request, product_id: str, faq_id: str) -> Response:
        product = selectors.get_visible_product(_user(request), product_id)
        _require_writer(_user(request), product.organisation_id)
        entry = selectors.get_visible_faq_entry(_user(request), product, faq_id)
        data = FaqPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.update_faq_entry(entry=entry, actor=_user(request), **data.validated_data)
        return Response(FaqEntrySerializer(entry).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, product_id: str, faq_id: str) -> Response:
        product = selectors.get_visible_product(_user(request), product_id)
        _require_writer(_user(request), product.organisation_id)
        entry = selectors.get_visible_faq_entry(_user(request), product, faq_id)
        services.delete_faq_entry(entry=entry, actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _import_files(request: Request, brand: Organisation) -> dict[str, Any]:
    _require_writer(_user(request), brand.pk)
    data = ImportUploadSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return {name: data.validated_data[name] for name in ("products", "faq") if data.validated_data.get(name)}


class CatalogImportPreviewView(APIView):
    """What the files would change (new / changed / unchanged per row and field) and every row error."""

    permission_classes = PERMISSIONS
    parser_classes = (MultiPartParser,)

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses=ImportPreviewSerializer)
    def post(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        files = _import_files(request, brand)
        return Response(preview_data(services.preview_import(organisation=brand, **files)))


class CatalogImportView(APIView):
    """Apply the files all or nothing: with any row error nothing is stored (400 `import_has_errors`)."""

    permission_classes = PERMISSIONS
    parser_classes = (MultiPartParser,)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={200: ImportPreviewSerializer, 400: ImportRefusedSerializer},
    )
    def post(self, request: Request, public_id: str) -> Response:
        brand = get_visible_organisation(_user(request), public_id)
        files = _import_files(request, brand)
        try:
            preview = services.import_catalog(organisation=brand, actor=_user(request), **files)
        except services.ImportRefusedError as refusal:
            body = {
                "code": refusal.code,
                "message": str(refusal.detail),
                "row_errors": [asdict(error) for error in refusal.preview.errors],
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(preview_data(preview))

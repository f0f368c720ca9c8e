"""Catalog API shapes. Prices travel as decimal strings ("199.00"), never as JSON numbers (floats)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.serializers import StrictSerializer
from streaming import categories
from streaming.models import MAX_SELLING_POINTS, MAX_VARIANTS, FaqEntry, Product, ProductImage

PRICE: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "min_value": 0, "coerce_to_string": True}


class OriginalPriceSerializer(StrictSerializer):
    price = serializers.DecimalField(**PRICE)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class ProductWriteSerializer(StrictSerializer):
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    price = serializers.DecimalField(**PRICE)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, default="CNY")
    category = serializers.ChoiceField(choices=list(categories.CODES))
    selling_points = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=MAX_SELLING_POINTS, required=False, default=list
    )
    stock_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    original_price = OriginalPriceSerializer(required=False, allow_null=True)


class ProductPatchSerializer(ProductWriteSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class FaqEntrySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = FaqEntry
        fields = ("id", "language", "question", "variants", "answer", "updated_at")
        read_only_fields = fields


class FaqWriteSerializer(StrictSerializer):
    language = serializers.ChoiceField(choices=FaqEntry.Language.values)
    question = serializers.CharField(max_length=500)
    variants = serializers.ListField(
        child=serializers.CharField(max_length=500), max_length=MAX_VARIANTS, required=False, default=list
    )
    answer = serializers.CharField(max_length=2000)


class FaqPatchSerializer(FaqWriteSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class ProductImageSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = ProductImage
        fields = ("id", "content_type", "width", "height", "sha256", "created_at")
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    brand = serializers.UUIDField(source="organisation.public_id", read_only=True)
    price = serializers.DecimalField(**PRICE, read_only=True)
    original_price = serializers.SerializerMethodField()
    images = ProductImageSerializer(many=True, read_only=True)
    faq = FaqEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = (
            "id",
            "brand",
            "sku",
            "name",
            "price",
            "currency",
            "original_price",
            "category",
            "selling_points",
            "stock_url",
            "images",
            "faq",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_original_price(self, product: Product) -> dict[str, Any] | None:
        if product.original_price is None:
            return None
        return {
            "price": str(product.original_price),
            "valid_from": product.original_price_from.isoformat() if product.original_price_from else None,
            "valid_until": product.original_price_until.isoformat() if product.original_price_until else None,
            "note": product.original_price_note,
            "has_evidence_file": bool(product.original_price_evidence),
        }


class ImportUploadSerializer(StrictSerializer):
    products = serializers.FileField(required=False, help_text="sku,name,price,currency,category,selling_points")
    faq = serializers.FileField(required=False, help_text="sku,language,question,variants,answer")


class ImageUploadSerializer(StrictSerializer):
    image = serializers.FileField(help_text="A JPEG, PNG or WebP image.")


class FieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class RowChangeSerializer(serializers.Serializer[Any]):
    file = serializers.ChoiceField(choices=["products", "faq"])
    line = serializers.IntegerField()
    key = serializers.CharField()
    action = serializers.ChoiceField(choices=["new", "changed", "unchanged"])
    changes = FieldChangeSerializer(many=True)


class RowErrorSerializer(serializers.Serializer[Any]):
    file = serializers.ChoiceField(choices=["products", "faq"])
    line = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportPreviewSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField(help_text="False while any row error remains: applying would change nothing.")
    counts = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    rows = RowChangeSerializer(many=True)
    errors = RowErrorSerializer(many=True)  # type: ignore[assignment]  # a field; the metaclass pops it off the class
    sha256 = serializers.DictField(child=serializers.CharField())
    encodings = serializers.DictField(child=serializers.CharField())


class ImportRefusedSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    row_errors = RowErrorSerializer(many=True)


class CategorySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    en = serializers.CharField()
    zh = serializers.CharField()

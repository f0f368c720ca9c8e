"""Catalog API routes under /api/v1/ (included from config/api.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from streaming import api

app_name = "catalog-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("product-categories/", api.CategoryListView.as_view(), name="categories"),
    path("organisations/<uuid:public_id>/products/", api.BrandProductListView.as_view(), name="products"),
    path(
        "organisations/<uuid:public_id>/catalog-import/preview/",
        api.CatalogImportPreviewView.as_view(),
        name="import-preview",
    ),
    path("organisations/<uuid:public_id>/catalog-import/", api.CatalogImportView.as_view(), name="import"),
    path("products/<str:product_id>/", api.ProductDetailView.as_view(), name="product-detail"),
    path("products/<str:product_id>/images/", api.ProductImageListView.as_view(), name="product-images"),
    path(
        "products/<str:product_id>/images/<str:image_id>/",
        api.ProductImageDetailView.as_view(),
        name="product-image-detail",
    ),
    path("products/<str:product_id>/faq/", api.FaqListView.as_view(), name="faq"),
    path("products/<str:product_id>/faq/<str:faq_id>/", api.FaqDetailView.as_view(), name="faq-detail"),
]

"""Catalog pages. Included with `path("catalog/", include("streaming.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from streaming import views

app_name = "catalog"
urlpatterns: list[URLPattern] = [
    path("", views.catalog, name="list"),
    path("brands/<uuid:public_id>/new/", views.product_new, name="product-new"),
    path("brands/<uuid:public_id>/import/", views.catalog_import, name="import"),
    path("products/<str:product_id>/", views.product_edit, name="product"),
    path("products/<str:product_id>/delete/", views.product_delete, name="product-delete"),
    path("products/<str:product_id>/images/", views.product_image_add, name="product-image"),
    path("products/<str:product_id>/faq/", views.faq_save, name="faq"),
]

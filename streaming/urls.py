"""Catalog pages (included with `path("catalog/", include("streaming.urls"))` in config/urls.py) and script pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from streaming import console_pages, script_pages, stream_pages, usage_pages, views

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

# Script pages, included with `path("scripts/", include((script_urlpatterns, "scripts")))` in config/urls.py.
script_urlpatterns: list[URLPattern] = [
    path("", script_pages.script_list, name="list"),
    path("brands/<uuid:public_id>/new/", script_pages.script_new, name="new"),
    path("brands/<uuid:public_id>/generate/", script_pages.script_generate, name="generate"),
    path("<uuid:public_id>/", script_pages.script_editor, name="editor"),
    path("<uuid:public_id>/versions/<int:number>/review", script_pages.script_review, name="review"),
    path(
        "<uuid:public_id>/versions/<int:number>/approval-options",
        script_pages.approval_options,
        name="approval-options",
    ),
    path("<uuid:public_id>/versions/<int:number>/approve", script_pages.approve, name="approve"),
    path("<uuid:public_id>/versions/<int:number>/short-video", script_pages.short_video, name="short-video"),
    path(
        "<uuid:public_id>/versions/<int:number>/lines/<int:line>/speech.wav",
        script_pages.line_speech,
        name="speech",
    ),
]

# Stream pages, included with `path("streams/", include((stream_urlpatterns, "streams")))` in config/urls.py.
stream_urlpatterns: list[URLPattern] = [
    path("", stream_pages.stream_list, name="list"),
    path("brands/<uuid:public_id>/new/", stream_pages.stream_new, name="new"),
    path("brands/<uuid:public_id>/dashboard/", usage_pages.dashboard, name="dashboard"),
    path("brands/<uuid:public_id>/usage.csv", usage_pages.brand_usage_csv, name="usage-csv"),
    path("<uuid:public_id>/", stream_pages.stream_detail, name="detail"),
    path("<uuid:public_id>/schedule", stream_pages.stream_schedule, name="schedule"),
    path("<uuid:public_id>/voice", stream_pages.stream_voice, name="voice"),
    path("<uuid:public_id>/state", stream_pages.stream_state, name="state"),
    path("<uuid:public_id>/go-live-options", stream_pages.go_live_options, name="go-live-options"),
    path("<uuid:public_id>/go-live", stream_pages.go_live, name="go-live"),
    path("<uuid:public_id>/console/", console_pages.console, name="console"),
    path("<uuid:public_id>/console/events", console_pages.console_events, name="console-events"),
]

# The influencer's likeness page, included with `path("likeness/", include((likeness_urlpatterns, "likeness")))`.
likeness_urlpatterns: list[URLPattern] = [
    path("", usage_pages.my_likeness, name="mine"),
    path("usage.csv", usage_pages.my_usage_csv, name="usage-csv"),
]

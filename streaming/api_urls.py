"""Catalog API routes under /api/v1/ (included from config/api.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from streaming import api, operator_api, script_api, stream_api, stream_media, usage_api

app_name = "catalog-api"

urlpatterns: list[URLPattern | URLResolver] = [
    # A live stream's HLS: live (sliding window) and archive playlists, and their files (streaming/stream_media.py).
    path(
        "streams/<uuid:public_id>/media/live.m3u8",
        stream_media.StreamLivePlaylistView.as_view(),
        name="stream-live-playlist",
    ),
    path(
        "streams/<uuid:public_id>/media/archive.m3u8",
        stream_media.StreamArchivePlaylistView.as_view(),
        name="stream-archive-playlist",
    ),
    path(
        "streams/<uuid:public_id>/media/<str:name>",
        stream_media.StreamMediaFileView.as_view(),
        name="stream-media-file",
    ),
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
    # Scripts (streaming/script_api.py)
    path("organisations/<uuid:public_id>/scripts/", script_api.BrandScriptListView.as_view(), name="scripts"),
    path(
        "organisations/<uuid:public_id>/scripts/generate/",
        script_api.BrandScriptGenerateView.as_view(),
        name="script-generate",
    ),
    path("scripts/<str:script_id>/", script_api.ScriptDetailView.as_view(), name="script-detail"),
    path("scripts/<str:script_id>/versions/", script_api.ScriptVersionListView.as_view(), name="script-versions"),
    path(
        "scripts/<str:script_id>/versions/<str:version_id>/",
        script_api.ScriptVersionDetailView.as_view(),
        name="script-version-detail",
    ),
    path(
        "scripts/<str:script_id>/versions/<str:version_id>/approval/options/",
        script_api.ScriptApprovalOptionsView.as_view(),
        name="script-approval-options",
    ),
    path(
        "scripts/<str:script_id>/versions/<str:version_id>/approval/",
        script_api.ScriptApprovalView.as_view(),
        name="script-approval",
    ),
    path(
        "scripts/<str:script_id>/versions/<str:version_id>/render/",
        script_api.ScriptRenderView.as_view(),
        name="script-render",
    ),
    # Streams (streaming/stream_api.py)
    path("organisations/<uuid:public_id>/streams/", stream_api.BrandStreamListView.as_view(), name="streams"),
    path("streams/<str:stream_id>/", stream_api.StreamDetailView.as_view(), name="stream-detail"),
    path(
        "organisations/<uuid:public_id>/licence-usage.csv",
        usage_api.BrandUsageCsvView.as_view(),
        name="brand-licence-usage",
    ),
    path("me/licence-usage.csv", usage_api.MyUsageCsvView.as_view(), name="my-licence-usage"),
    path("streams/<str:stream_id>/schedule/", stream_api.StreamScheduleView.as_view(), name="stream-schedule"),
    path("streams/<str:stream_id>/state/", stream_api.StreamStateView.as_view(), name="stream-state"),
    path(
        "streams/<str:stream_id>/go-live/options/",
        stream_api.GoLiveOptionsView.as_view(),
        name="stream-go-live-options",
    ),
    path("streams/<str:stream_id>/go-live/", stream_api.GoLiveView.as_view(), name="stream-go-live"),
    # The operator console (streaming/operator_api.py)
    path("streams/<str:stream_id>/console/", operator_api.ConsoleView.as_view(), name="stream-console"),
    path("streams/<str:stream_id>/heartbeat/", operator_api.HeartbeatView.as_view(), name="stream-heartbeat"),
    path(
        "streams/<str:stream_id>/interjections/",
        operator_api.InterjectionListView.as_view(),
        name="stream-interjections",
    ),
    path("streams/<str:stream_id>/takeover/", operator_api.TakeoverView.as_view(), name="stream-takeover"),
    path("streams/<str:stream_id>/takeover/hand-back/", operator_api.HandBackView.as_view(), name="stream-hand-back"),
    path(
        "streams/<str:stream_id>/operator-state/",
        operator_api.OperatorStateView.as_view(),
        name="stream-operator-state",
    ),
    path(
        "streams/<str:stream_id>/presence-timeout/",
        operator_api.PresenceTimeoutView.as_view(),
        name="stream-presence-timeout",
    ),
]

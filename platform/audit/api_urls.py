from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from audit import api, export_api

app_name = "ledger"

urlpatterns: list[URLPattern | URLResolver] = [
    path("ledger/events/", api.LedgerEventListView.as_view(), name="ledger-event-list"),
    path("ledger/events/<int:pk>/", api.LedgerEventDetailView.as_view(), name="ledger-event-detail"),
    path("ledger/events/<int:pk>/proof/", api.LedgerEventProofView.as_view(), name="ledger-event-proof"),
    path("ledger/checkpoints/", api.CheckpointListView.as_view(), name="ledger-checkpoint-list"),
    path("ledger/exports/", export_api.ExportListView.as_view(), name="ledger-export-list"),
    path("ledger/exports/<str:export_id>/", export_api.ExportDetailView.as_view(), name="ledger-export-detail"),
    path(
        "ledger/exports/<str:export_id>/download/",
        export_api.ExportDownloadView.as_view(),
        name="ledger-export-download",
    ),
]

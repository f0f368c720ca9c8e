from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from audit import api

app_name = "ledger"

urlpatterns: list[URLPattern | URLResolver] = [
    path("ledger/events/", api.LedgerEventListView.as_view(), name="ledger-event-list"),
    path("ledger/events/<int:pk>/", api.LedgerEventDetailView.as_view(), name="ledger-event-detail"),
    path("ledger/events/<int:pk>/proof/", api.LedgerEventProofView.as_view(), name="ledger-event-proof"),
    path("ledger/checkpoints/", api.CheckpointListView.as_view(), name="ledger-checkpoint-list"),
]

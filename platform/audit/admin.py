"""Admin views of the ledger: strictly read-only (the ledger is append-only and written only by services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import Checkpoint, LedgerEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # "Delete selected" would be refused by the model and the database anyway; do not offer it.
        return {}


@admin.register(LedgerEvent)
class LedgerEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "subject", "seq", "kind", "actor", "organisation", "recorded_at")
    list_filter = ("kind",)
    search_fields = ("subject", "kind", "actor")
    ordering = ("-id",)


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("id", "first_event_id", "last_event_id", "event_count", "key_id", "created_at")
    ordering = ("-id",)

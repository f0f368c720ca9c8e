"""Admin for the render domain: avatars and jobs are inspected here; segments are evidence and read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from render.models import Avatar, RenderJob, Segment


@admin.register(Avatar)
class AvatarAdmin(admin.ModelAdmin):
    list_display = ("public_id", "influencer", "brand", "status", "progress", "error_code", "created_at")
    list_filter = ("status", "brand")
    search_fields = ("public_id", "influencer__stage_name", "brand__name")
    readonly_fields = ("public_id", "grant", "sample", "assets", "progress", "suggestions", "stats", "created_at")
    raw_id_fields = ("influencer", "brand", "created_by")


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ("public_id", "brand", "avatar", "status", "segment_count", "error_code", "created_at")
    list_filter = ("status", "brand")
    search_fields = ("public_id", "stream_id")
    readonly_fields = (
        "public_id",
        "stream_id",
        "grant",
        "init_storage_name",
        "init_manifest_id",
        "playlist_storage_name",
        "created_at",
        "started_at",
        "finished_at",
    )
    raw_id_fields = ("avatar", "brand", "created_by")


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    """Read-only: a segment row is created with its ledger event and never changes."""

    list_display = ("job", "sequence", "sha256", "duration", "manifest_id", "created_at")
    search_fields = ("job__stream_id", "sha256", "manifest_id")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Segment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

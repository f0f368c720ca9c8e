"""Admin for consent: read-only. Grants change only through the services (signing, review, revocation), each with
its ledger event; the review itself is done on the review page (/consent/review/), which shows the videos."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from consent.models import ConsentGrant, ReviewDecision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentGrant)
class ConsentGrantAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "influencer", "status", "face_decision", "voice_decision", "created_at")
    list_filter = ("status", "face_decision", "voice_decision")
    search_fields = ("public_id", "influencer__stage_name")
    list_select_related = ("influencer",)
    # Deliberately absent: the signature and the countersigned document (on the receipt page) and the vault rows.
    fields = (
        "public_id",
        "influencer",
        "status",
        "valid_from",
        "valid_until",
        "scope_sha256",
        "face_score",
        "face_decision",
        "voice_score",
        "voice_decision",
        "needs_review",
        "created_at",
        "signed_at",
        "activated_at",
        "rejected_at",
        "revoked_at",
    )
    readonly_fields = fields


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = ("grant", "decision", "reviewer", "created_at")
    list_filter = ("decision",)
    list_select_related = ("grant", "reviewer")
    fields = ("grant", "decision", "reason", "reviewer", "created_at")
    readonly_fields = fields

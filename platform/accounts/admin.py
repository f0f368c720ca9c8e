"""Django admin for accounts.

Writes that have rules or ledger events (memberships, invitations, organisations, influencer profiles, real-name
records) go through the services and the API, so their admin pages are read-only: an admin edit would skip the
last-owner rule and leave no ledger event. Users are editable (activation and platform flags), as Django's admin
expects. A real-name record shows only the last four characters, the method and the dates; never the legal name, the
date of birth or the document number, and the hash read-only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import InfluencerProfile, Invitation, Membership, Organisation, RealNameRecord, User
from accounts.selectors import is_adult


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VeracastUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")


class VeracastUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = VeracastUserChangeForm
    add_form = VeracastUserCreationForm
    ordering = ("email",)
    list_display = ("email", "display_name", "is_active", "is_staff", "is_platform_auditor", "date_joined")
    list_filter = ("is_active", "is_staff", "is_platform_auditor", "is_superuser")
    search_fields = ("email", "display_name")
    readonly_fields = ("public_id", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("public_id", "email", "password", "display_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_platform_auditor", "is_superuser", "groups")}),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "usable_password", "password1", "password2")},
        ),
    )
    filter_horizontal = ("groups",)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "verification_status", "uscc", "public_id", "created_at")
    list_filter = ("verification_status",)
    search_fields = ("name", "slug", "uscc")
    fields = (
        "public_id",
        "name",
        "slug",
        "created_at",
        "legal_name",
        "uscc",
        "verification_status",
        "verification_requested_at",
        "verified_at",
        "verified_by",
        "rejection_reason",
    )
    readonly_fields = fields
    inlines: ClassVar = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Read-only: invitations are sent, answered and cancelled through the services, which ledger each step."""

    list_display = ("organisation", "email", "role", "status", "created_at", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation",)
    fields = ("public_id", "organisation", "email", "role", "status", "invited_by", "created_at", "expires_at")
    readonly_fields = fields


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organisation__name", "organisation__slug")
    list_select_related = ("user", "organisation")
    fields = ("user", "organisation", "role", "created_at")
    readonly_fields = fields


@admin.register(InfluencerProfile)
class InfluencerProfileAdmin(ReadOnlyAdmin):
    list_display = ("stage_name", "user", "public_id", "created_at")
    search_fields = ("stage_name", "user__email")
    list_select_related = ("user",)
    fields = ("public_id", "user", "stage_name", "created_at")
    readonly_fields = fields


@admin.register(RealNameRecord)
class RealNameRecordAdmin(ReadOnlyAdmin):
    list_display = ("user", "document_type", "id_number_last4", "method", "verified_at", "adult")
    list_filter = ("method", "document_type")
    search_fields = ("user__email", "id_number_last4")
    list_select_related = ("user",)
    # Deliberately absent: legal_name and the number's digest. Only what a human needs to recognise the record.
    fields = (
        "user",
        "document_type",
        "id_number_last4",
        "method",
        "verified_at",
        "verified_by",
        "adult",
        "id_number_kdf",
    )
    readonly_fields = fields

    @admin.display(boolean=True, description="Adult today")
    def adult(self, record: RealNameRecord) -> bool:
        return is_adult(record, timezone.localdate())

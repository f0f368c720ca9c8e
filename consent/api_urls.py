"""Consent API routes under /api/v1/ (included from config/api.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from consent import api, sample_upload_api

app_name = "consent-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("consent/templates/", api.TemplateListView.as_view(), name="templates"),
    path("consent/templates/<str:template_id>/publish/", api.TemplatePublishView.as_view(), name="template-publish"),
    path("consent/templates/<str:template_id>/revise/", api.TemplateReviseView.as_view(), name="template-revise"),
    path("consent/passkeys/options/", api.PasskeyOptionsView.as_view(), name="passkey-options"),
    path("consent/passkeys/", api.PasskeyRegisterView.as_view(), name="passkeys"),
    path("consent/api-keys/", api.ApiKeyView.as_view(), name="api-keys"),
    path("consent/samples/", api.SampleUploadView.as_view(), name="samples"),
    path("consent/sample-uploads/", sample_upload_api.SampleUploadListView.as_view(), name="sample-uploads"),
    path(
        "consent/sample-uploads/<str:upload_id>/",
        sample_upload_api.SampleUploadDetailView.as_view(),
        name="sample-upload",
    ),
    path(
        "consent/sample-uploads/<str:upload_id>/finish/",
        sample_upload_api.SampleUploadFinishView.as_view(),
        name="sample-upload-finish",
    ),
    path("consent/brands/", api.GrantableBrandListView.as_view(), name="brands"),
    path("consent/grants/", api.GrantListView.as_view(), name="grants"),
    path("consent/grants/<str:grant_id>/", api.GrantDetailView.as_view(), name="grant-detail"),
    path(
        "consent/grants/<str:grant_id>/statement-challenge/",
        api.StatementChallengeView.as_view(),
        name="grant-statement-challenge",
    ),
    path("consent/grants/<str:grant_id>/statement/", api.StatementUploadView.as_view(), name="grant-statement"),
    path("consent/grants/<str:grant_id>/sign-options/", api.SignOptionsView.as_view(), name="grant-sign-options"),
    path("consent/grants/<str:grant_id>/sign/", api.SignView.as_view(), name="grant-sign"),
    path("consent/grants/<str:grant_id>/revoke-options/", api.RevokeOptionsView.as_view(), name="grant-revoke-options"),
    path("consent/grants/<str:grant_id>/revoke/", api.RevokeView.as_view(), name="grant-revoke"),
    path("consent/grants/<str:grant_id>/discard/", api.DiscardView.as_view(), name="grant-discard"),
    path("consent/grants/<str:grant_id>/receipt/", api.ReceiptView.as_view(), name="grant-receipt"),
    path("consent/grants/<str:grant_id>/review/", api.ReviewView.as_view(), name="grant-review"),
    path("consent/refusals/", api.UseRefusalListView.as_view(), name="use-refusals"),
    path("consent/review-queue/", api.ReviewQueueView.as_view(), name="review-queue"),
    path(
        "organisations/<uuid:organisation_id>/consent-grants/",
        api.BrandGrantListView.as_view(),
        name="brand-grants",
    ),
]

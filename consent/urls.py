"""Consent pages. Include with `path("consent/", include("consent.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from consent import views

app_name = "consent"
urlpatterns: list[URLPattern] = [
    path("", views.my_consents, name="my-consents"),
    path("new/", views.grant_wizard, name="wizard"),
    path("sample/", views.training_sample, name="sample"),
    path("grants/<str:grant_id>/", views.grant_detail, name="grant"),
    path("grants/<str:grant_id>/receipt/", views.receipt, name="receipt"),
    path("brands/<str:organisation_id>/", views.brand_consents, name="brand"),
    path("review/", views.review_queue, name="review-queue"),
]

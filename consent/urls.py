"""Consent pages. Include with `path("consent/", include("consent.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from consent import review_pages, views

app_name = "consent"
urlpatterns: list[URLPattern] = [
    path("", views.my_consents, name="my-consents"),
    path("new/", views.grant_wizard, name="wizard"),
    path("sample/", views.training_sample, name="sample"),
    path("grants/<str:grant_id>/", views.grant_detail, name="grant"),
    path("grants/<str:grant_id>/receipt/", views.receipt, name="receipt"),
    path("brands/<str:organisation_id>/", views.brand_consents, name="brand"),
    path("review/", review_pages.review_queue, name="review-queue"),
    path("review/<str:grant_id>/", review_pages.review_grant_page, name="review-grant"),
    path("review/<str:grant_id>/decide/", review_pages.decide, name="review-decide"),
    path("review/<str:grant_id>/media/<str:kind>/", review_pages.review_media_file, name="review-media"),
]

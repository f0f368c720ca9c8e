"""Accounts routes under /api/v1/ (included by config.api). Every id in a path is a public_id UUID."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("auth/tokens/", views.TokenListView.as_view(), name="auth-token-list"),
    path("auth/tokens/<uuid:public_id>/", views.TokenDetailView.as_view(), name="auth-token-detail"),
    path("me/", views.MeView.as_view(), name="me"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<uuid:public_id>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<uuid:public_id>/members/", views.MemberListView.as_view(), name="member-list"),
    path(
        "organisations/<uuid:public_id>/members/<uuid:user_public_id>/",
        views.MemberDetailView.as_view(),
        name="member-detail",
    ),
    path("influencers/", views.InfluencerCreateView.as_view(), name="influencer-list"),
    path("influencers/me/", views.InfluencerMeView.as_view(), name="influencer-me"),
    path("real-name-records/", views.RealNameRecordCreateView.as_view(), name="real-name-record-list"),
]

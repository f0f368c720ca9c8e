"""Account pages. Included with `path("organisations/", include("accounts.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from accounts import brand_review_pages, pages

app_name = "accounts-pages"
urlpatterns: list[URLPattern] = [
    path("invitations/", pages.my_invitations, name="my-invitations"),
    path("invitations/<uuid:invitation_id>/<str:answer>/", pages.respond_to_invitation, name="respond-to-invitation"),
    path("verification/", brand_review_pages.brand_reviews, name="brand-reviews"),
    path("verification/<uuid:public_id>/", brand_review_pages.brand_review, name="brand-review"),
    path("<uuid:public_id>/verification/", brand_review_pages.review_brand, name="review-brand"),
    path("<uuid:public_id>/members/", pages.members, name="members"),
    path("<uuid:public_id>/members/invite/", pages.invite, name="invite"),
    path("<uuid:public_id>/members/<uuid:user_public_id>/role/", pages.change_role, name="change-role"),
    path("<uuid:public_id>/members/<uuid:user_public_id>/remove/", pages.remove_member, name="remove-member"),
    path(
        "<uuid:public_id>/invitations/<uuid:invitation_id>/cancel/",
        pages.cancel_invitation,
        name="cancel-invitation",
    ),
    path("<uuid:public_id>/legal-entity/", pages.legal_entity, name="legal-entity"),
]

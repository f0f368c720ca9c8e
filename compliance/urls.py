"""Compliance pages. Included with `path("compliance/", include("compliance.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from compliance import assessment_pages, pages

app_name = "compliance"
urlpatterns: list[URLPattern] = [
    path("", pages.index, name="index"),
    path("holds/", pages.holds_page, name="holds"),
    path("holds/<uuid:public_id>/release/", pages.release_hold, name="release-hold"),
    # Per-influencer impact assessments; before "<slug:slug>/" so that "influencers" is never read as a brand slug.
    path("influencers/", assessment_pages.influencers_page, name="influencers"),
    path(
        "influencers/<uuid:public_id>/assessment/",
        assessment_pages.influencer_assessment_page,
        name="influencer-assessment",
    ),
    path(
        "influencers/<uuid:public_id>/assessment/<uuid:assessment_id>/approve/",
        assessment_pages.approve_influencer_assessment,
        name="approve-influencer-assessment",
    ),
    path(
        "influencers/<uuid:public_id>/assessment/<uuid:assessment_id>/document.json",
        assessment_pages.assessment_document,
        name="influencer-assessment-document",
    ),
    path("<slug:slug>/", pages.dashboard, name="dashboard"),
    path("<slug:slug>/report/", pages.report_page, name="report"),
    path("<slug:slug>/report.pdf", pages.report_pdf, name="report-pdf"),
    path("<slug:slug>/streams/<str:stream_id>/recheck/", pages.recheck_artifacts, name="recheck-artifacts"),
    path(
        "<slug:slug>/artifact-checks/<uuid:public_id>/progress/",
        pages.artifact_check_progress,
        name="artifact-check-progress",
    ),
    path("<slug:slug>/assessment/", pages.assessment_page, name="assessment"),
]

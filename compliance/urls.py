"""Compliance pages. Included with `path("compliance/", include("compliance.urls"))` in config/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from compliance import pages

app_name = "compliance"
urlpatterns: list[URLPattern] = [
    path("", pages.index, name="index"),
    path("holds/", pages.holds_page, name="holds"),
    path("holds/<uuid:public_id>/release/", pages.release_hold, name="release-hold"),
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
    path("<slug:slug>/assessment/<uuid:public_id>/approve/", pages.approve_assessment, name="approve-assessment"),
]

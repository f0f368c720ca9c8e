from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from compliance import assessment_api

app_name = "compliance-api"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "compliance/influencers/<uuid:influencer_id>/assessments/",
        assessment_api.InfluencerAssessmentListView.as_view(),
        name="influencer-assessments",
    ),
    path(
        "compliance/assessments/<uuid:assessment_id>/",
        assessment_api.AssessmentDetailView.as_view(),
        name="assessment-detail",
    ),
    path(
        "compliance/assessments/<uuid:assessment_id>/approve/",
        assessment_api.AssessmentApproveView.as_view(),
        name="assessment-approve",
    ),
]

"""Expired API tokens are deleted by the hourly beat task: they log nobody in already, and without the purge the
table would keep a row for every login ever made. Tokens still valid keep working."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tasks import purge_expired_api_tokens_task
from accounts.tokens import issue_api_token


def test_alices_expired_tokens_are_deleted_and_bobs_live_one_still_logs_him_in(personas: dict[str, Any]) -> None:
    old, _ = issue_api_token(user=personas["alice"])
    just_expired, _ = issue_api_token(user=personas["alice"])
    live, bob_key = issue_api_token(user=personas["bob"])
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=30))
    ApiToken.objects.filter(pk=just_expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert purge_expired_api_tokens_task() == 2

    assert list(ApiToken.objects.values_list("pk", flat=True)) == [live.pk]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {bob_key}")
    assert client.get("/api/v1/me/").status_code == 200
    assert purge_expired_api_tokens_task() == 0


def test_the_purge_is_on_the_beat_schedule() -> None:
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert schedule.get("accounts.tasks.purge_expired_api_tokens_task") == 3600

from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_staff_groups_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    """Django creates each app's permissions in its own post_migrate call, in INSTALLED_APPS order: the groups are
    synced once, after the last app's call, when every permission they name exists (also after a test flush)."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    from accounts.staff_groups import sync_staff_groups

    sync_staff_groups()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_staff_groups_after_migrate, dispatch_uid="accounts.sync_staff_groups")

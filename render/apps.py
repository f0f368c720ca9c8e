from __future__ import annotations

from django.apps import AppConfig


class RenderConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "render"

    def ready(self) -> None:
        from consent.broadcast import on_revocation
        from render.keys import register_init_steps
        from render.revocation import cancel_work_after_revocation

        # Render's keys join `manage.py init_keys`; audit itself imports nothing of render.
        register_init_steps()
        on_revocation(cancel_work_after_revocation)

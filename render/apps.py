from __future__ import annotations

from django.apps import AppConfig


class RenderConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "render"

    def ready(self) -> None:
        from consent.broadcast import on_revocation
        from consent.screens import register_statement_screen
        from render.keys import register_init_steps
        from render.revocation import cancel_work_after_revocation
        from render.statement_screen import screen_generated_content
        from render.voice_clone import delete_clone_voices_after_revocation

        # Render's keys join `manage.py init_keys`; audit itself imports nothing of render.
        register_init_steps()
        on_revocation(cancel_work_after_revocation)
        # The influencer's voice on the clone server is deleted once the gate refuses its use (consent never imports
        # render: the hook is render's).
        on_revocation(delete_clone_voices_after_revocation)
        # Statements cut from Veracast's own output are refused (consent runs the screen, never imports render).
        register_statement_screen(screen_generated_content)

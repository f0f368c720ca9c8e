from __future__ import annotations

from django.apps import AppConfig


class StreamingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "streaming"

    def ready(self) -> None:
        # Render speaks only approved scripts and asks streaming for them through this port (render.script_source).
        from render.script_source import register_script_source
        from streaming.approved_scripts import StreamingScriptSource

        register_script_source(StreamingScriptSource())

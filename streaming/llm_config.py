"""The configured LLM backend for script generation, built from settings (docs/configuration.md): None while
VERACAST_LLM_URL is empty. Outside the pure streaming/generation package because it reads Django settings."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from streaming.generation import ChatCompletionsBackend


def llm_backend() -> ChatCompletionsBackend | None:
    """A backend for the configured URL and model, with the API key read from its file now (so a rotated key is
    used without a restart); None when no LLM is configured."""
    url = getattr(settings, "LLM_URL", "")
    if not url:
        return None
    key_file = getattr(settings, "LLM_API_KEY_FILE", "")
    api_key = ""
    if key_file:
        try:
            api_key = Path(key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"VERACAST_LLM_API_KEY_FILE={key_file!r} cannot be read: {exc.strerror}."
            ) from None
    return ChatCompletionsBackend(
        url=url, model=settings.LLM_MODEL, api_key=api_key, timeout_s=float(settings.LLM_TIMEOUT_S)
    )

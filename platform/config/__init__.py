"""Wiring only: settings, URLs, the Celery app and the WSGI/ASGI entry points. No models live here."""

from __future__ import annotations

from .celery_app import app as celery_app

__all__ = ["celery_app"]

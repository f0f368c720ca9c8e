"""Local development and the demo: embedded defaults (SQLite, in-process worker, local files)."""

from __future__ import annotations

import os

# Development-only fallbacks so that `make demo` and `make serve` work without any configuration. They are
# never used by prod.py, which requires real values.
os.environ.setdefault("DJANGO_SECRET_KEY", "dev-insecure-secret-key-not-for-production")
os.environ.setdefault("VERACAST_ID_HASH_KEY", "dev-insecure-id-hash-key")
os.environ.setdefault("VERACAST_ID_NUMBER_PEPPER", "dev-insecure-id-number-pepper")

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# whitenoise looks for STATIC_ROOT at start-up; an empty one is fine outside production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

"""Production: every secret and path must be configured; nothing insecure is defaulted."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production (config.settings.prod).")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required in production (broker, cache and revocation broadcast).")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# SSRF: no RTMP push into private, loopback or link-local networks unless explicitly allowed; no silently
# generated stream-key encryption key.
RTMP_ALLOW_PRIVATE = env_bool("VERACAST_RTMP_ALLOW_PRIVATE", False)
STREAM_KEY_AUTOCREATE = env_bool("VERACAST_STREAM_KEY_AUTOCREATE", False)
VOICE_CLONE_ALLOW_PRIVATE = env_bool("VERACAST_VOICE_CLONE_ALLOW_PRIVATE", False)

"""The real RTMP ingest of the live output tests (tests/streaming/live/nginx_rtmp.py)."""

from __future__ import annotations

from tests.streaming.live.nginx_rtmp import nginx_rtmp

__all__ = ["nginx_rtmp"]

"""API tokens: issue at login, authenticate, list and revoke. Only digests are stored (see `ApiToken`).

Why not django-rest-knox: knox also stores a digest and expires tokens, but keys its table by the digest, has no
last-used time, no public id to revoke one token by, and writes no ledger event. This module is the ~100 lines that
do exactly that, behind DRF's ordinary `BaseAuthentication`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.models import ApiToken, User
from audit.services import record_event

KEYWORD = "Token"
PREFIX = "vc_"
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough to notice an
# unexpected use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_api_token(*, user: User) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the plaintext key, which is never stored."""
    key = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=digest_of(key),
            prefix=key[: len(PREFIX) + 6],
            created_at=now,
            expires_at=now + settings.API_TOKEN_TTL,
        )
        record_event(
            kind="api_token.issued",
            subject=f"user:{user.public_id}",
            payload={
                "user": str(user.public_id),
                "token": str(token.public_id),
                "expires_at": token.expires_at.isoformat(),
            },
            actor=user,
        )
    return token, key


def revoke_api_tokens(*, user: User, tokens: QuerySet[ApiToken], reason: str) -> int:
    """Delete `tokens` (all of them `user`'s), one ledger event each; returns how many were revoked."""
    with transaction.atomic():
        revoked = list(tokens.filter(user=user).select_for_update())
        for token in revoked:
            record_event(
                kind="api_token.revoked",
                subject=f"user:{user.public_id}",
                payload={"user": str(user.public_id), "token": str(token.public_id), "reason": reason},
                actor=user,
            )
        ApiToken.objects.filter(pk__in=[t.pk for t in revoked]).delete()
    return len(revoked)


def purge_expired_api_tokens(*, now: datetime | None = None) -> int:
    """Delete tokens past their expiry; returns how many. They already authenticate nobody and are not listed, so
    this only keeps the table from growing with every login. No ledger event: `api_token.issued` recorded the
    expiry when the token was made."""
    deleted, _ = ApiToken.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def list_api_tokens_for(user: User) -> QuerySet[ApiToken]:
    """`user`'s tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by("-created_at")


def get_api_token(user: User, public_id: UUID | str) -> ApiToken | None:
    return list_api_tokens_for(user).filter(public_id=public_id).first()


class HashedTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`: the digest is looked up; an expired or revoked token is refused."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: send `Token <key>`.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
        now = timezone.now()
        if token is None or token.expires_at <= now or not token.user.is_active:
            # One answer for unknown, revoked and expired: a stolen old token learns nothing.
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class HashedTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes `HashedTokenAuthentication` (drf-spectacular finds subclasses itself)."""

    target_class = "accounts.tokens.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, as returned by POST /api/v1/auth/token/.",
        }

"""Rows for tests/api/test_authorization_matrix.py covering the consent API (merged there with
`MATRIX.update(consent_rows(Row, _statuses, _acme))`; the matrix's context carries `ctx["consent"]`, a
`ConsentContext`).

Grant routes address REAL grants of iris, made through the real services when a row first asks for them:
- `active`: iris's signed, countersigned consent naming Acme (face likeness and body movement, Douyin);
- `draft`: a second grant of iris still waiting for its statement video (so the statement-challenge row can succeed).

What the rows show: iris, the owner, reads her grant (200) and reaches each write's own state checks (409, or 400 for
a signature that does not verify: nothing changes); platform staff read and review; everyone else, Acme's members
included, gets 404 on a single grant: a grant is addressed by its influencer or staff, and brands see the grants that
name them through the brand list (200 for Acme's members and platform readers, 404 for charlie and iris). Auditors
(audrey of Acme, paula of the platform) read what they audit; their role restricts nothing of their own, so on these
routes (each about the caller's own consents) they are answered like any other person.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

MISSING = "00000000-0000-4000-8000-000000000000"
# A signature by a key nobody registered: the owner's request reaches the signature check and is refused there.
UNKNOWN_KEY_SIGNATURE = {"ed25519_key_id": "not-a-registered-key", "ed25519_signature": "AAAA"}


class ConsentContext:
    """iris's grants for the matrix, created on first use (most rows never need one) with per-test keys."""

    def __init__(self, personas: dict[str, Any], *, settings: Any, tmp_path: Path) -> None:
        self.personas = personas
        self.settings = settings
        self.tmp_path = tmp_path

    @cached_property
    def template(self) -> Any:
        from audit.keys import init_keys
        from tests.consent.helpers import published_template

        # The platform countersigns with the ledger key: a throwaway one under tmp_path, never the developer's.
        self.settings.LEDGER_SIGNING_KEY_PATH = self.tmp_path / "keys" / "ledger-ed25519.pem"
        self.settings.LEDGER_PUBLIC_KEYS_DIR = self.tmp_path / "keys" / "ledger-public"
        init_keys()
        return published_template(self.personas["sam"])

    @cached_property
    def active(self) -> Any:
        from tests.consent.helpers import active_grant, register_passkey

        grant = active_grant(
            self.personas, self.template, register_passkey(self.personas["iris"]), platforms=("douyin",)
        )
        assert grant.status == "active", grant.status
        return grant

    @cached_property
    def upload(self) -> Any:
        """iris's chunked sample upload, just declared (nothing sent yet); the vault key and storage are throwaway."""
        import os

        from consent.sample_uploads import create_sample_upload

        self.settings.VAULT_MASTER_KEY = os.urandom(32).hex()
        self.settings.STORAGES = {
            **self.settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(self.tmp_path / "media")},
            },
        }
        return create_sample_upload(user=self.personas["iris"], total_size=1000, content_type="video/mp4")

    @cached_property
    def draft(self) -> Any:
        from tests.consent.helpers import draft_grant

        grant = draft_grant(self.personas, self.template)
        assert grant.status == "pending_statement", grant.status
        return grant


def consent_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]], acme: Callable[..., Any]) -> dict:
    active = {"kwargs": lambda ctx: {"grant_id": str(ctx["consent"].active.public_id)}}
    draft = {"kwargs": lambda ctx: {"grant_id": str(ctx["consent"].draft.public_id)}}
    upload = {"kwargs": lambda ctx: {"upload_id": str(ctx["consent"].upload.public_id)}}
    template = {"kwargs": lambda ctx: {"template_id": MISSING}}
    staff_only = statuses(403, sam=404)
    # One grant, addressed by anyone: its influencer and staff see it; everyone else meets a 404.
    owner_and_staff_read = statuses(404, iris=200, sam=200)
    owner_read = statuses(404, iris=200)
    return {
        ("consent-api:templates", "GET"): row(statuses(200)),
        ("consent-api:templates", "POST"): row(statuses(403, sam=400)),
        ("consent-api:template-publish", "POST"): row(staff_only, **template),
        ("consent-api:template-revise", "POST"): row(staff_only, **template),
        ("consent-api:passkey-options", "POST"): row(statuses(403, iris=200)),
        ("consent-api:passkeys", "POST"): row(statuses(400)),
        ("consent-api:api-keys", "POST"): row(statuses(400)),
        ("consent-api:samples", "POST"): row(statuses(411)),
        # Chunked sample uploads: only influencers declare one (a PDF is refused, 415); an upload is its owner's
        # alone, so everyone else meets a 404. The owner reaches each call's own checks: no Upload-Offset (400),
        # finishing with nothing sent (409 upload_incomplete), cancelling (200).
        ("consent-api:sample-uploads", "POST"): row(
            statuses(403, iris=415), body=lambda ctx, p: {"size": 1000, "content_type": "application/pdf"}
        ),
        ("consent-api:sample-upload", "GET"): row(statuses(404, iris=200), **upload),
        ("consent-api:sample-upload", "PUT"): row(statuses(404, iris=400), **upload),
        ("consent-api:sample-upload", "DELETE"): row(statuses(404, iris=200), **upload),
        ("consent-api:sample-upload-finish", "POST"): row(statuses(404, iris=409), **upload),
        ("consent-api:grants", "GET"): row(statuses(200)),
        ("consent-api:brands", "GET"): row(statuses(200)),
        ("consent-api:grants", "POST"): row(statuses(400)),
        ("consent-api:grant-detail", "GET"): row(owner_and_staff_read, **active),
        # The owner gets a fresh one-time code for her draft (201); nobody else learns the draft exists.
        ("consent-api:grant-statement-challenge", "POST"): row(statuses(404, iris=201), **draft),
        # A JSON body where multipart is expected: the grant is looked up first (404 for all but iris), then the
        # body is refused (415 for iris).
        ("consent-api:grant-statement", "POST"): row(
            statuses(404, iris=415), body=lambda ctx, p: {"code": "000000"}, **draft
        ),
        ("consent-api:grant-sign-options", "GET"): row(owner_read, **active),
        # The grant is already active: the owner's request reaches the state check (409 grant_not_signable).
        ("consent-api:grant-sign", "POST"): row(
            statuses(404, iris=409), body=lambda ctx, p: UNKNOWN_KEY_SIGNATURE, **active
        ),
        ("consent-api:grant-revoke-options", "GET"): row(owner_read, **active),
        # The owner reaches the confirmation check, which refuses an unregistered key (400); the grant stays active.
        ("consent-api:grant-revoke", "POST"): row(
            statuses(404, iris=400), body=lambda ctx, p: UNKNOWN_KEY_SIGNATURE, **active
        ),
        # Only a draft can be discarded: the owner reaches that state check (409); nobody else learns the grant exists.
        ("consent-api:grant-discard", "POST"): row(statuses(404, iris=409), **active),
        # The gate's detailed refusals are the influencer's own (brands only ever hear no_consent_for_you).
        ("consent-api:use-refusals", "GET"): row(statuses(403, iris=200)),
        ("consent-api:grant-receipt", "GET"): row(owner_and_staff_read, **active),
        # Staff reach the review; an active grant is not waiting for one (409 grant_not_in_review).
        ("consent-api:grant-review", "POST"): row(
            statuses(403, sam=409), body=lambda ctx, p: {"decision": "approve", "reason": "matrix"}, **active
        ),
        ("consent-api:review-queue", "GET"): row(statuses(403, sam=200)),
        ("consent-api:brand-grants", "GET"): row(
            statuses(200, charlie=404, iris=404),
            kwargs=lambda ctx: {"organisation_id": ctx["consent"].active.brands.get().public_id},
        ),
    }

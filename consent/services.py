"""Write side of consent: templates, grants (draft, statement, signature, review), revocation and expiry, passkeys
and API signing keys, training samples, legal holds.

Every service writes its ledger event in the same transaction as its rows. Ledger payloads carry ids, hashes,
scores and decisions, never a name, a date of birth or media. Refusals of an influencer who is not verified or
under 18 are themselves recorded (`consent.refused`) in their own transaction, then raised.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import InfluencerProfile, Organisation, User
from accounts.selectors import get_influencer_profile, is_adult_on, is_real_name_verified
from accounts.staff_groups import is_consent_reviewer
from audit.services import record_event
from common.api import DomainError
from consent import broadcast, checks, passkeys, screens, vault
from consent.biometrics import codes, liveness
from consent.biometrics.errors import BiometricError, MediaRejected
from consent.models import (
    ApiSigningKey,
    ConsentGrant,
    ConsentTemplate,
    DataKey,
    LegalHold,
    ReviewDecision,
    StatementChallenge,
    UsedAssertionChallenge,
    VaultObject,
    WebAuthnCredential,
)
from consent.receipts import b64url, countersigned_document, influencer_signature_bytes, key_id_for
from consent.scope import (
    ScopeError,
    bind_sample,
    build_scope_document,
    canonical,
    challenge_for,
    format_time,
    revocation_document,
    sha256_hex,
    validate_choices,
)
from consent.signing import countersign
from consent.texts import missing_pipl_fields, template_content_sha256

STATEMENT_CODE_TTL = timedelta(minutes=10)
STATEMENT_CODE_MAX_ATTEMPTS = 5
PASSKEY_REGISTRATION_TTL_SECONDS = 300
LIVE_STATUSES = (
    ConsentGrant.Status.PENDING_STATEMENT,
    ConsentGrant.Status.PENDING_SIGNATURE,
    ConsentGrant.Status.PENDING_REVIEW,
    ConsentGrant.Status.ACTIVE,
)
# An unsigned draft lapses a day after it was drafted: it holds a statement video and a key, and nobody agreed to it.
DRAFT_TTL = timedelta(hours=24)


# Eligibility ---------------------------------------------------------------------------------------------------


def _refuse(*, user: User, influencer: InfluencerProfile | None, action: str, code: str, message: str) -> DomainError:
    """Record the refusal in its own transaction (it must survive the failing request), and return the error."""
    subject = f"influencer:{influencer.public_id}" if influencer is not None else f"user:{user.public_id}"
    with transaction.atomic():
        record_event(kind="consent.refused", subject=subject, payload={"action": action, "reason": code}, actor=user)
    return DomainError(message, code=code, status_code=403)


def require_eligible_influencer(*, user: User, action: str) -> InfluencerProfile:
    """The user's influencer profile if they are real-name verified and 18 or older; a logged refusal otherwise."""
    profile = get_influencer_profile(user)
    if profile is None:
        raise DomainError("Only influencers can do this.", code="not_an_influencer", status_code=403)
    if not is_real_name_verified(user):
        raise _refuse(
            user=user,
            influencer=profile,
            action=action,
            code="influencer_not_verified",
            message="Your real-name verification is missing: verify your identity before granting consent.",
        )
    if not is_adult_on(user, timezone.localdate()):
        raise _refuse(
            user=user,
            influencer=profile,
            action=action,
            code="influencer_minor",
            message="You must be 18 or older to license your likeness or voice on Veracast.",
        )
    return profile


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_staff):
        raise DomainError("Only platform staff may do this.", code="staff_required", status_code=403)


def _require_owner(grant: ConsentGrant, actor: User) -> None:
    if grant.influencer.user_id != actor.pk:
        # Same answer as a missing grant: other people's grants are not acknowledged to exist.
        raise DomainError("No such consent grant.", code="not_found", status_code=404)


# Templates -----------------------------------------------------------------------------------------------------


def create_template(
    *, family: str, language: str, title: str, body: str, pipl_fields: dict[str, Any], actor: User
) -> ConsentTemplate:
    """A new draft text (version 1 of a family in a language, or the next version)."""
    _require_staff(actor)
    if language not in ConsentTemplate.Language.values:
        raise DomainError(f"Unknown language '{language}'.", code="invalid_language", status_code=400)
    if not title.strip() or not body.strip():
        raise DomainError("A consent text needs a title and a body.", code="text_required", status_code=400)
    with transaction.atomic():
        latest = (
            ConsentTemplate.objects.select_for_update()
            .filter(family=family, language=language)
            .order_by("-version")
            .first()
        )
        version = (latest.version + 1) if latest else 1
        template = ConsentTemplate.objects.create(
            family=family,
            language=language,
            version=version,
            title=title.strip(),
            body=body.strip(),
            pipl_fields=pipl_fields,
            content_sha256=template_content_sha256(
                family=family,
                language=language,
                version=version,
                title=title.strip(),
                body=body.strip(),
                pipl_fields=pipl_fields,
            ),
            created_by=actor,
        )
        record_event(
            kind="consent_template.drafted",
            subject=f"consent_template:{template.public_id}",
            payload={"family": family, "language": language, "version": version, "sha256": template.content_sha256},
            actor=actor,
        )
    return template


def revise_template(
    *, template: ConsentTemplate, title: str, body: str, pipl_fields: dict[str, Any], actor: User
) -> ConsentTemplate:
    """Edit a draft in place; editing a published text makes the next version instead (grants keep theirs)."""
    _require_staff(actor)
    if template.status != ConsentTemplate.Status.DRAFT:
        return create_template(
            family=template.family,
            language=template.language,
            title=title,
            body=body,
            pipl_fields=pipl_fields,
            actor=actor,
        )
    with transaction.atomic():
        template.title, template.body, template.pipl_fields = title.strip(), body.strip(), pipl_fields
        template.content_sha256 = template_content_sha256(
            family=template.family,
            language=template.language,
            version=template.version,
            title=template.title,
            body=template.body,
            pipl_fields=pipl_fields,
        )
        template.save(update_fields=["title", "body", "pipl_fields", "content_sha256"])
        record_event(
            kind="consent_template.revised",
            subject=f"consent_template:{template.public_id}",
            payload={"version": template.version, "sha256": template.content_sha256},
            actor=actor,
        )
    return template


def publish_template(*, template: ConsentTemplate, actor: User) -> ConsentTemplate:
    """Publish a draft once every PIPL notice item is stated; the family's earlier version in that language retires."""
    _require_staff(actor)
    if template.status != ConsentTemplate.Status.DRAFT:
        raise DomainError("Only a draft can be published.", code="template_not_draft")
    missing = missing_pipl_fields(template.pipl_fields)
    if missing:
        raise DomainError(
            f"The text does not state everything PIPL requires: {', '.join(missing)}.",
            code="pipl_fields_missing",
            status_code=400,
        )
    with transaction.atomic():
        retired = list(
            ConsentTemplate.objects.select_for_update()
            .filter(family=template.family, language=template.language, status=ConsentTemplate.Status.PUBLISHED)
            .values_list("public_id", flat=True)
        )
        ConsentTemplate.objects.filter(public_id__in=retired).update(status=ConsentTemplate.Status.RETIRED)
        template.status = ConsentTemplate.Status.PUBLISHED
        template.published_at = timezone.now()
        template.save(update_fields=["status", "published_at"])
        record_event(
            kind="consent_template.published",
            subject=f"consent_template:{template.public_id}",
            payload={
                "family": template.family,
                "language": template.language,
                "version": template.version,
                "sha256": template.content_sha256,
                "retired": [str(r) for r in retired],
            },
            actor=actor,
        )
    return template


# Grants --------------------------------------------------------------------------------------------------------


def create_grant(
    *,
    user: User,
    template: ConsentTemplate,
    brands: Sequence[Organisation],
    modalities: Sequence[str],
    purposes: Sequence[str],
    platforms: Sequence[str],
    valid_from: datetime,
    valid_until: datetime,
    hours_per_day: int | None = None,
    excluded_product_categories: Sequence[str] = (),
) -> ConsentGrant:
    """A draft grant: the canonical scope document the influencer will sign, recorded with the template's hash."""
    influencer = require_eligible_influencer(user=user, action="create_grant")
    if template.status != ConsentTemplate.Status.PUBLISHED:
        raise DomainError("Consent can only be given under a published text.", code="template_not_published")
    try:
        choices = validate_choices(
            modalities=list(modalities),
            brand_ids=[str(b.public_id) for b in brands],
            purposes=list(purposes),
            platforms=list(platforms),
            valid_from=valid_from,
            valid_until=valid_until,
            hours_per_day=hours_per_day,
            excluded_product_categories=list(excluded_product_categories),
        )
    except ScopeError as exc:
        raise DomainError(str(exc), code=exc.code, status_code=400) from None
    if valid_until <= timezone.now():
        raise DomainError("valid_until is in the past.", code="invalid_validity", status_code=400)
    unverified = [b for b in brands if not b.is_verified]
    if unverified:
        # A display name proves nothing: consent goes only to a brand whose legal entity staff have verified.
        raise DomainError(
            f"{unverified[0].name} is not a verified brand: consent can only be given to brands whose legal "
            "entity Veracast staff have verified.",
            code="brand_not_verified",
            status_code=400,
        )
    grant_id = uuid.uuid4()
    document = build_scope_document(
        grant_id=str(grant_id),
        influencer_id=str(influencer.public_id),
        template={
            "id": str(template.public_id),
            "family": template.family,
            "language": template.language,
            "version": template.version,
            "sha256": template.content_sha256,
        },
        brands=[{"id": str(b.public_id), "name": b.name, "legal_name": b.legal_name, "uscc": b.uscc} for b in brands],
        choices=choices,
    )
    text = canonical(document)
    with transaction.atomic():
        grant = ConsentGrant.objects.create(
            public_id=grant_id,
            influencer=influencer,
            template=template,
            template_sha256=template.content_sha256,
            scope_canonical=text,
            scope_sha256=sha256_hex(text),
            scope=document,
            valid_from=choices.valid_from.replace(microsecond=0),
            valid_until=choices.valid_until.replace(microsecond=0),
        )
        grant.brands.set(list(brands))
        record_event(
            kind="consent.drafted",
            subject=f"consent:{grant.public_id}",
            payload={
                "influencer": str(influencer.public_id),
                "template": str(template.public_id),
                "template_sha256": template.content_sha256,
                "scope_sha256": grant.scope_sha256,
                "brands": [str(b.public_id) for b in brands],
            },
            actor=user,
        )
    return grant


def _code_key() -> bytes:
    # Derived from the ID hash key (a deployment secret) so a database reader cannot test the million codes offline.
    return hashlib.sha256(b"veracast statement code key|" + str(settings.ID_HASH_KEY).encode("utf-8")).digest()


def issue_statement_challenge(*, grant: ConsentGrant, user: User) -> tuple[StatementChallenge, str]:
    """A fresh one-time code for the statement video (10 minutes, single use). Returns the row and the code."""
    _require_owner(grant, user)
    _refuse_stale_draft(grant)
    require_eligible_influencer(user=user, action="statement_challenge")
    if grant.status != ConsentGrant.Status.PENDING_STATEMENT:
        raise DomainError("This grant does not need a statement now.", code="grant_not_awaiting_statement")
    code = codes.generate_code()
    actions = [a.as_dict() for a in liveness.generate_actions(settings.CONSENT_LIVENESS_ACTIONS)]
    with transaction.atomic():
        now = timezone.now()
        challenge = StatementChallenge(
            grant=grant, created_at=now, expires_at=now + STATEMENT_CODE_TTL, actions=actions
        )
        challenge.code_digest = codes.code_digest(code, _code_key(), context=f"challenge:{challenge.public_id}")
        challenge.save()
        record_event(
            kind="consent.statement_challenge_issued",
            subject=f"consent:{grant.public_id}",
            payload={
                "challenge": str(challenge.public_id),
                "expires_at": format_time(challenge.expires_at),
                "actions": actions,
            },
            actor=user,
        )
    return challenge, code


def _open_challenge(*, grant: ConsentGrant, challenge_id: str, code: str = "") -> StatementChallenge:
    """The challenge if it is unused, unexpired and not burnt. A typed code, when sent, must be right (a wrong one
    counts an attempt; five burn the challenge); it proves nothing by itself: the spoken code decides."""
    challenge = StatementChallenge.objects.filter(grant=grant, public_id=challenge_id).first()
    if challenge is None:
        raise DomainError("Unknown statement code.", code="code_invalid", status_code=400)
    if challenge.used_at is not None:
        raise DomainError("This code was already used; ask for a new one.", code="code_used", status_code=400)
    if timezone.now() >= challenge.expires_at:
        raise DomainError("This code has expired; ask for a new one.", code="code_expired", status_code=400)
    if challenge.attempts >= STATEMENT_CODE_MAX_ATTEMPTS:
        raise DomainError("Too many wrong codes; ask for a new one.", code="code_used", status_code=400)
    if code and not codes.check_code(code, challenge.code_digest, _code_key(), context=_code_context(challenge)):
        _count_attempt(challenge)
        raise DomainError("The code does not match.", code="code_invalid", status_code=400)
    return challenge


def _code_context(challenge: StatementChallenge) -> str:
    return f"challenge:{challenge.public_id}"


def _count_attempt(challenge: StatementChallenge) -> None:
    StatementChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)


def _latest_sample(influencer: InfluencerProfile) -> VaultObject | None:
    return (
        VaultObject.objects.filter(influencer=influencer, kind=VaultObject.Kind.SAMPLE, data_key__status="active")
        .select_related("data_key", "influencer")
        .order_by("-created_at", "-pk")
        .first()
    )


def _media_error(exc: BiometricError) -> DomainError:
    return DomainError(exc.message, code=exc.code, status_code=400)


def _speech_languages(grant: ConsentGrant) -> tuple[str, ...]:
    return ("zh", "en") if grant.template.language == ConsentTemplate.Language.ZH_CN else ("en", "zh")


@dataclass(frozen=True)
class LiveEvidence:
    """What the statement proved about being live and now (for the ledger; no media, no transcript)."""

    spoken: dict[str, Any]
    liveness: dict[str, Any]
    screens: list[str]


def check_live_statement(
    *, grant: ConsentGrant, challenge: StatementChallenge, video: IO[bytes]
) -> tuple[checks.ValidatedVideo, LiveEvidence]:
    """Validate the video and prove it live: every packet decoded, the challenge's actions seen in order, a sound
    track in which the one-time code is spoken, and no screen (watermark, AIGC label, C2PA) objecting.

    Raises DomainError 400 with a sentence naming what failed: no_audio, code_not_spoken, action_not_seen,
    generated_content, or a media refusal (undecodable, no_face...). A code heard wrong counts an attempt.
    """
    from consent.biometrics import speech, voice

    actions = liveness.actions_from_json(challenge.actions)
    analyser = liveness.LivenessAnalyser()
    try:
        try:
            validated = checks.validate_video(video, kind="statement", on_video_frame=analyser.add)  # type: ignore[arg-type]
        finally:
            analyser.close()
        if actions and validated.info.duration + liveness.SLACK_SECONDS < liveness.required_seconds(actions):
            raise MediaRejected(
                "too_short",
                f"the recording lasts {validated.info.duration:.1f} s; keep recording until every prompt has been "
                f"shown ({liveness.required_seconds(actions):.0f} s)",
            )
        try:
            audio = voice.extract_audio(video)  # type: ignore[arg-type]
        except MediaRejected as exc:
            if exc.code == "no_audio":
                raise MediaRejected(
                    "no_audio", "the statement has no sound: speak the code aloud, with your microphone on"
                ) from None
            raise
        code_length = codes.CODE_LENGTH
        digest, context, key = challenge.code_digest, _code_context(challenge), _code_key()

        def is_the_code(digits: str) -> bool:
            return any(codes.check_code(run, digest, key, context=context) for run in speech.runs(digits, code_length))

        spoken = speech.hear_code(
            audio, is_the_code, cache_dir=str(settings.MODEL_CACHE_DIR), languages=_speech_languages(grant)
        )
        if not spoken.heard:
            _count_attempt(challenge)
            raise MediaRejected(
                "code_not_spoken",
                "the code was not heard in the statement: read the six digits on the screen aloud, clearly",
            )
        result = liveness.require_actions(liveness.verify_actions(analyser.signals, actions)) if actions else None
        passed_screens = screens.screen_statement(video)  # type: ignore[arg-type]
    except MediaRejected as exc:
        raise _media_error(exc) from None
    video.seek(0)
    return validated, LiveEvidence(
        spoken=spoken.as_dict(),
        liveness=result.as_dict() if result is not None else {"passed": None, "why": "challenge without actions"},
        screens=passed_screens,
    )


def submit_statement(
    *,
    grant: ConsentGrant,
    user: User,
    challenge_id: str,
    video: IO[bytes],
    code: str = "",
    content_type: str = "",
) -> ConsentGrant:
    """Prove the statement live (check_live_statement), compare face (and voice, when consented) with the training
    sample, store the video encrypted, bind the grant's scope document to that sample (scope v2), and move the grant
    on to its signature. Below the face/voice thresholds, staff review it later.

    Every refusal happens before anything is stored; the checks run outside the transaction (they take seconds).
    """
    _require_owner(grant, user)
    _refuse_stale_draft(grant)
    require_eligible_influencer(user=user, action="submit_statement")
    if grant.status != ConsentGrant.Status.PENDING_STATEMENT:
        raise DomainError("This grant does not need a statement now.", code="grant_not_awaiting_statement")
    challenge = _open_challenge(grant=grant, challenge_id=challenge_id, code=code)
    validated, evidence = check_live_statement(grant=grant, challenge=challenge, video=video)
    sample = _latest_sample(grant.influencer)
    sample_plain = vault.open_object(sample) if sample is not None else None
    face = checks.compare_face(validated, sample_plain)
    if "voice" in grant.modalities:
        if sample_plain is not None:
            sample_plain.seek(0)
        voice = checks.compare_voice(video, sample_plain)  # type: ignore[arg-type]
    else:
        voice = checks.Comparison(None, ConsentGrant.Check.NOT_REQUIRED.value, {})
    del sample_plain
    needs_review = face.decision != "pass" or voice.decision not in ("pass", "not_required")

    with vault.discard_on_failure(), transaction.atomic():
        locked = ConsentGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.status != ConsentGrant.Status.PENDING_STATEMENT:
            raise DomainError("This grant does not need a statement now.", code="grant_not_awaiting_statement")
        # Claimed with a conditional UPDATE, so two uploads racing with one code cannot both pass.
        claimed = StatementChallenge.objects.filter(public_id=challenge_id, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if claimed != 1:
            raise DomainError("This code was already used; ask for a new one.", code="code_used", status_code=400)
        obj = vault.store_object(
            influencer=grant.influencer,
            kind=VaultObject.Kind.STATEMENT,
            source=video,
            content_type=content_type,
            media_info=validated.media_info(),
        )
        # The document the influencer will sign names the sample this statement was compared with.
        previous_scope_sha256 = locked.scope_sha256
        document = bind_sample(
            locked.scope,
            sample_id=str(sample.public_id) if sample is not None else None,
            sample_sha256=sample.plaintext_sha256 if sample is not None else None,
        )
        locked.scope = document
        locked.scope_canonical = canonical(document)
        locked.scope_sha256 = sha256_hex(locked.scope_canonical)
        locked.sample = sample
        locked.sample_sha256 = sample.plaintext_sha256 if sample is not None else ""
        locked.statement = obj
        locked.face_score, locked.face_decision = face.score, face.decision
        locked.voice_score, locked.voice_decision = voice.score, voice.decision
        locked.needs_review = needs_review
        locked.status = ConsentGrant.Status.PENDING_SIGNATURE
        locked.save(
            update_fields=[
                "scope",
                "scope_canonical",
                "scope_sha256",
                "sample",
                "sample_sha256",
                "statement",
                "face_score",
                "face_decision",
                "voice_score",
                "voice_decision",
                "needs_review",
                "status",
            ]
        )
        record_event(
            kind="consent.statement_recorded",
            subject=f"consent:{grant.public_id}",
            payload={
                "statement": str(obj.public_id),
                "statement_sha256": obj.plaintext_sha256,
                "challenge": str(challenge_id),
                "sample": {"id": str(sample.public_id), "sha256": sample.plaintext_sha256} if sample else None,
                "scope_sha256": locked.scope_sha256,
                "previous_scope_sha256": previous_scope_sha256,
                "spoken_code": evidence.spoken,
                "liveness": evidence.liveness,
                "screens": evidence.screens,
                "face": {"score": face.score, "decision": face.decision, **face.detail},
                "voice": {"score": voice.score, "decision": voice.decision, **voice.detail},
                "needs_review": needs_review,
            },
            actor=user,
        )
    return locked


def recheck_statement_against_sample(*, grant: ConsentGrant, user: User) -> ConsentGrant:
    """A sample uploaded after the statement: compare the grant's stored statement with the newest sample and, when
    the face matches, bind the grant to it (ledgered `consent.sample_rebound`). Otherwise nothing changes and the
    influencer needs a new grant. The signed document still names the first sample; the ledger event carries the
    new binding and the comparison that justified it.
    """
    _require_owner(grant, user)
    require_eligible_influencer(user=user, action="recheck_statement")
    if (
        grant.status not in (ConsentGrant.Status.ACTIVE, ConsentGrant.Status.PENDING_SIGNATURE)
        or grant.statement is None
    ):
        raise DomainError("This grant has no statement to check again.", code="grant_not_rebindable")
    sample = _latest_sample(grant.influencer)
    if sample is None or sample.pk == grant.sample_id:
        raise DomainError("There is no newer training sample to bind.", code="no_new_sample")
    statement_plain = vault.open_object(grant.statement)
    try:
        validated = checks.validate_video(statement_plain, kind="statement")
    except MediaRejected as exc:
        raise _media_error(exc) from None
    face = checks.compare_face(validated, vault.open_object(sample))
    if face.decision != "pass":
        raise DomainError(
            "Your statement does not match the new training sample; give consent again with a new statement.",
            code="sample_mismatch",
            status_code=400,
        )
    with transaction.atomic():
        locked = ConsentGrant.objects.select_for_update().get(pk=grant.pk)
        previous = {"id": str(locked.sample.public_id), "sha256": locked.sample_sha256} if locked.sample else None
        locked.sample, locked.sample_sha256 = sample, sample.plaintext_sha256
        locked.save(update_fields=["sample", "sample_sha256"])
        record_event(
            kind="consent.sample_rebound",
            subject=f"consent:{locked.public_id}",
            payload={
                "previous_sample": previous,
                "sample": {"id": str(sample.public_id), "sha256": sample.plaintext_sha256},
                "statement": str(grant.statement.public_id),
                "face": {"score": face.score, "decision": face.decision, **face.detail},
            },
            actor=user,
        )
        broadcast.bump_version(locked.influencer_id)
    return locked


def upload_sample(*, user: User, video: IO[bytes], content_type: str = "") -> VaultObject:
    """Validate a training sample (30 s to 10 min, >= 480p, one face) and store it encrypted; nothing if invalid."""
    influencer = require_eligible_influencer(user=user, action="upload_sample")
    try:
        validated = checks.validate_video(video, kind="sample")  # type: ignore[arg-type]
    except MediaRejected as exc:
        raise _media_error(exc) from None
    with vault.discard_on_failure(), transaction.atomic():
        obj = vault.store_object(
            influencer=influencer,
            kind=VaultObject.Kind.SAMPLE,
            source=video,
            content_type=content_type,
            media_info=validated.media_info(),
        )
        record_event(
            kind="vault.object_stored",
            subject=f"influencer:{influencer.public_id}",
            payload={
                "object": str(obj.public_id),
                "kind": obj.kind,
                "plaintext_sha256": obj.plaintext_sha256,
                "ciphertext_sha256": obj.ciphertext_sha256,
                "media": validated.media_info(),
            },
            actor=user,
        )
    return obj


# Signatures ----------------------------------------------------------------------------------------------------


def _verify_webauthn(
    *, user: User, assertion: dict[str, Any], challenge: bytes, rp: passkeys.RelyingParty
) -> tuple[WebAuthnCredential, passkeys.Asserted]:
    try:
        credential_id = passkeys.credential_id_of(assertion)
        credential = WebAuthnCredential.objects.filter(user=user, credential_id=credential_id).first()
        if credential is None:
            raise passkeys.PasskeyError("This passkey is not registered to you.", code="unknown_credential")
        if UsedAssertionChallenge.objects.filter(challenge_sha256=hashlib.sha256(challenge).hexdigest()).exists():
            raise passkeys.PasskeyError("This document was already signed once.", code="assertion_replayed")
        asserted = passkeys.verify_assertion(
            assertion=assertion,
            challenge=challenge,
            rp=rp,
            public_key=bytes(credential.public_key),
            sign_count=credential.sign_count,
        )
    except passkeys.PasskeyError as exc:
        raise DomainError(str(exc), code=exc.code, status_code=400) from None
    return credential, asserted


def _consume_webauthn(credential: WebAuthnCredential, asserted: passkeys.Asserted, challenge: bytes) -> None:
    """Inside the transaction: advance the counter and burn the challenge (both refuse a concurrent replay)."""
    try:
        with transaction.atomic():
            UsedAssertionChallenge.objects.create(challenge_sha256=hashlib.sha256(challenge).hexdigest())
    except IntegrityError:
        raise DomainError(
            "This document was already signed once.", code="assertion_replayed", status_code=400
        ) from None
    updated = WebAuthnCredential.objects.filter(pk=credential.pk, sign_count=credential.sign_count).update(
        sign_count=asserted.new_sign_count, last_used_at=timezone.now()
    )
    if updated != 1:
        raise DomainError("This passkey was used concurrently; try again.", code="assertion_replayed", status_code=400)


def _verify_ed25519(*, user: User, key_id: str, signature_b64: str, document: str) -> tuple[ApiSigningKey, bytes]:
    import base64
    import binascii

    key = ApiSigningKey.objects.filter(user=user, key_id=key_id, revoked_at__isnull=True).first()
    if key is None:
        raise DomainError("This signing key is not registered to you.", code="unknown_signing_key", status_code=400)
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(bytes(key.public_key)).verify(signature, document.encode("utf-8"))
    except (binascii.Error, ValueError):
        raise DomainError("The signature is not base64.", code="signature_invalid", status_code=400) from None
    except InvalidSignature:
        raise DomainError(
            "The signature does not verify over this grant's document.", code="signature_invalid", status_code=400
        ) from None
    return key, signature


def sign_grant(
    *,
    grant: ConsentGrant,
    user: User,
    rp: passkeys.RelyingParty | None = None,
    webauthn_assertion: dict[str, Any] | None = None,
    ed25519_key_id: str | None = None,
    ed25519_signature: str | None = None,
) -> ConsentGrant:
    """Verify the influencer's signature over the scope document, countersign, and activate (or queue for review)."""
    _require_owner(grant, user)
    _refuse_stale_draft(grant)
    require_eligible_influencer(user=user, action="sign_grant")
    if grant.status != ConsentGrant.Status.PENDING_SIGNATURE:
        raise DomainError("This grant is not waiting for a signature.", code="grant_not_signable")
    if sha256_hex(grant.scope_canonical) != grant.scope_sha256:
        raise DomainError("The stored scope differs from the one drafted.", code="scope_tampered")
    challenge = challenge_for(grant.scope_canonical)
    credential: WebAuthnCredential | None = None
    asserted: passkeys.Asserted | None = None
    if webauthn_assertion is not None:
        credential, asserted = _verify_webauthn(
            user=user, assertion=webauthn_assertion, challenge=challenge, rp=rp or passkeys.relying_party()
        )
        method = ConsentGrant.SignatureMethod.WEBAUTHN
        evidence: dict[str, Any] = {"method": method.value, **asserted.evidence}
    elif ed25519_key_id and ed25519_signature:
        api_key, _ = _verify_ed25519(
            user=user, key_id=ed25519_key_id, signature_b64=ed25519_signature, document=grant.scope_canonical
        )
        method = ConsentGrant.SignatureMethod.ED25519
        import base64

        evidence = {
            "method": method.value,
            "key_id": api_key.key_id,
            "public_key": base64.b64encode(bytes(api_key.public_key)).decode("ascii"),
            "signature": ed25519_signature,
        }
    else:
        raise DomainError(
            "Send a passkey assertion or an Ed25519 signature.", code="signature_required", status_code=400
        )

    signed_at = timezone.now()
    document = countersigned_document(
        grant=str(grant.public_id),
        influencer=str(grant.influencer.public_id),
        scope_sha256=grant.scope_sha256,
        template_sha256=grant.template_sha256,
        signature_method=method.value,
        influencer_signature=influencer_signature_bytes(method.value, evidence),
        signed_at=format_time(signed_at),
    )
    counter = countersign(document)
    with transaction.atomic():
        locked = ConsentGrant.objects.select_for_update().select_related("influencer").get(pk=grant.pk)
        if locked.status != ConsentGrant.Status.PENDING_SIGNATURE:
            raise DomainError("This grant is not waiting for a signature.", code="grant_not_signable")
        if credential is not None and asserted is not None:
            _consume_webauthn(credential, asserted, challenge)
        locked.signature_method = method.value
        locked.signature = evidence
        locked.signed_at = signed_at
        locked.countersigned_document = document
        locked.countersignature = counter.signature
        locked.countersignature_key_id = counter.key_id
        locked.countersignature_public_key = counter.public_key
        locked.status = ConsentGrant.Status.PENDING_REVIEW if locked.needs_review else ConsentGrant.Status.ACTIVE
        if locked.status == ConsentGrant.Status.ACTIVE:
            locked.activated_at = signed_at
        locked.save(
            update_fields=[
                "signature_method",
                "signature",
                "signed_at",
                "countersigned_document",
                "countersignature",
                "countersignature_key_id",
                "countersignature_public_key",
                "status",
                "activated_at",
            ]
        )
        record_event(
            kind="consent.signed",
            subject=f"consent:{locked.public_id}",
            payload={
                "influencer": str(locked.influencer.public_id),
                "status": locked.status,
                "template": str(locked.template.public_id),
                "template_sha256": locked.template_sha256,
                "scope_sha256": locked.scope_sha256,
                "influencer_signature": evidence,
                "platform_countersignature": {
                    "signed_document": document,
                    "signature": counter.signature,
                    "key_id": counter.key_id,
                    "public_key": counter.public_key,
                },
            },
            actor=user,
        )
        broadcast.bump_version(locked.influencer_id)
    return locked


def review_grant(*, grant: ConsentGrant, reviewer: User, decision: str, reason: str) -> ConsentGrant:
    """Staff approve or reject a grant whose identity checks fell below threshold, with a written reason."""
    if not (reviewer.is_authenticated and is_consent_reviewer(reviewer)):
        raise DomainError(
            "Only platform staff in the reviewers group may review consents.", code="staff_required", status_code=403
        )
    if decision not in ReviewDecision.Decision.values:
        raise DomainError("The decision must be approve or reject.", code="invalid_decision", status_code=400)
    if not reason.strip():
        raise DomainError("A review needs a written reason.", code="reason_required", status_code=400)
    with transaction.atomic():
        locked = ConsentGrant.objects.select_for_update().select_related("influencer").get(pk=grant.pk)
        if locked.status != ConsentGrant.Status.PENDING_REVIEW:
            raise DomainError("This grant is not waiting for review.", code="grant_not_in_review")
        ReviewDecision.objects.create(grant=locked, reviewer=reviewer, decision=decision, reason=reason.strip())
        now = timezone.now()
        if decision == ReviewDecision.Decision.APPROVE:
            locked.status, locked.activated_at = ConsentGrant.Status.ACTIVE, now
        else:
            locked.status, locked.rejected_at = ConsentGrant.Status.REJECTED, now
        locked.save(update_fields=["status", "activated_at", "rejected_at"])
        record_event(
            kind="consent.reviewed",
            subject=f"consent:{locked.public_id}",
            payload={"decision": decision, "reason": reason.strip(), "status": locked.status},
            actor=reviewer,
        )
        broadcast.bump_version(locked.influencer_id)
    return locked


# Revocation and expiry -----------------------------------------------------------------------------------------


def _has_active_hold(influencer: InfluencerProfile) -> bool:
    return LegalHold.objects.filter(influencer=influencer, released_at__isnull=True).exists()


def _shred_if_possible(*, influencer: InfluencerProfile, actor: User | None, reason: str, ended: ConsentGrant) -> None:
    """Destroy the data key once nothing the influencer signed is still live and no legal hold applies; else say why.

    Unsigned drafts never keep a key alive when a signed grant ends. When a draft itself ends (discarded or lapsed),
    the key goes only if no other grant at all is under way, so that discarding one draft does not erase the sample
    of another one the influencer is still completing.
    """
    was_draft = ended.signed_at is None  # discarded, lapsed, or revoked before it was ever signed
    keeping = LIVE_STATUSES if was_draft else ConsentGrant.SIGNED_LIVE_STATUSES
    others_live = ConsentGrant.objects.filter(influencer=influencer, status__in=keeping).exclude(pk=ended.pk).exists()
    if was_draft and not DataKey.objects.filter(influencer=influencer, status=DataKey.Status.ACTIVE).exists():
        return  # nothing to destroy, nothing to explain
    if others_live or _has_active_hold(influencer):
        record_event(
            kind="vault.key_retained",
            subject=f"influencer:{influencer.public_id}",
            payload={
                "grant": str(ended.public_id),
                "why": "legal_hold" if not others_live else "other_consents_live",
            },
            actor=actor,
        )
        return
    vault.destroy_data_keys(influencer=influencer, actor=actor, reason=reason)


def revocation_challenge(grant: ConsentGrant) -> tuple[str, bytes]:
    """The revocation document a passkey or API key signs, and its WebAuthn challenge."""
    text = canonical(revocation_document(grant_id=str(grant.public_id), scope_sha256=grant.scope_sha256))
    return text, challenge_for(text)


def revoke_consent(
    *,
    grant: ConsentGrant,
    actor: User,
    rp: passkeys.RelyingParty | None = None,
    webauthn_assertion: dict[str, Any] | None = None,
    ed25519_key_id: str | None = None,
    ed25519_signature: str | None = None,
) -> ConsentGrant:
    """The influencer ends a consent, confirmed with their passkey or API key. It cannot be undone.

    Commits the revocation and its ledger event, bumps the consent version; after commit, publishes on
    `veracast:consent:revoked` and runs the revocation hooks (render cancels queued jobs). The data key is destroyed
    when nothing else needs it and no legal hold applies. Minors and unverified people may always revoke.
    """
    _require_owner(grant, actor)
    if grant.status not in LIVE_STATUSES:
        raise DomainError("This consent has already ended.", code="grant_not_revocable")
    text, challenge = revocation_challenge(grant)
    credential: WebAuthnCredential | None = None
    asserted: passkeys.Asserted | None = None
    if webauthn_assertion is not None:
        credential, asserted = _verify_webauthn(
            user=actor, assertion=webauthn_assertion, challenge=challenge, rp=rp or passkeys.relying_party()
        )
        confirmation: dict[str, Any] = {"method": "webauthn", "document": text, **asserted.evidence}
    elif ed25519_key_id and ed25519_signature:
        _verify_ed25519(user=actor, key_id=ed25519_key_id, signature_b64=ed25519_signature, document=text)
        confirmation = {"method": "ed25519", "document": text, "key_id": ed25519_key_id, "signature": ed25519_signature}
    else:
        raise DomainError(
            "Confirm the revocation with your passkey or API key.", code="confirmation_required", status_code=400
        )
    with transaction.atomic():
        locked = ConsentGrant.objects.select_for_update().select_related("influencer").get(pk=grant.pk)
        if locked.status not in LIVE_STATUSES:
            raise DomainError("This consent has already ended.", code="grant_not_revocable")
        if credential is not None and asserted is not None:
            _consume_webauthn(credential, asserted, challenge)
        previous = locked.status
        locked.status = ConsentGrant.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revocation = confirmation
        locked.save(update_fields=["status", "revoked_at", "revocation"])
        record_event(
            kind="consent.revoked",
            subject=f"consent:{locked.public_id}",
            payload={"previous_status": previous, "scope_sha256": locked.scope_sha256, "confirmation": confirmation},
            actor=actor,
        )
        _end(locked, actor=actor, reason="revoked")
    return locked


def _end(grant: ConsentGrant, *, actor: User | None, reason: str) -> None:
    """Shared by revocation and expiry, inside their transaction."""
    broadcast.bump_version(grant.influencer_id)
    broadcast.announce_revocation(
        broadcast.Revocation(
            grant_public_id=str(grant.public_id),
            influencer_id=grant.influencer_id,
            influencer_public_id=str(grant.influencer.public_id),
            reason=reason,
        )
    )
    _shred_if_possible(influencer=grant.influencer, actor=actor, reason=reason, ended=grant)


def expire_consents(*, now: datetime | None = None) -> int:
    """Mark every signed live grant past its valid_until as expired (one transaction each); returns how many.

    Unsigned drafts are not consents and never become `expired` (a brand would see them): `expire_drafts` ends them.
    """
    now = now or timezone.now()
    signed = ConsentGrant.SIGNED_LIVE_STATUSES
    ids = list(ConsentGrant.objects.filter(status__in=signed, valid_until__lte=now).values_list("pk", flat=True))
    expired = 0
    for pk in ids:
        with transaction.atomic():
            grant = (
                ConsentGrant.objects.select_for_update(skip_locked=True)
                .select_related("influencer")
                .filter(pk=pk, status__in=signed, valid_until__lte=now)
                .first()
            )
            if grant is None:
                continue
            previous = grant.status
            grant.status = ConsentGrant.Status.EXPIRED
            grant.expired_at = now
            grant.save(update_fields=["status", "expired_at"])
            record_event(
                kind="consent.expired",
                subject=f"consent:{grant.public_id}",
                payload={"previous_status": previous, "valid_until": format_time(grant.valid_until)},
                actor=None,
            )
            _end(grant, actor=None, reason="expired")
            expired += 1
    return expired


# Drafts --------------------------------------------------------------------------------------------------------


def _stale_drafts(now: datetime) -> QuerySet[ConsentGrant]:
    """Drafts older than DRAFT_TTL, or whose term ended before they were signed."""
    return ConsentGrant.objects.filter(
        Q(created_at__lte=now - DRAFT_TTL) | Q(valid_until__lte=now), status__in=ConsentGrant.DRAFT_STATUSES
    )


def _close_draft(
    grant: ConsentGrant,
    *,
    kind: Literal["consent.draft_discarded", "consent.draft_expired"],
    actor: User | None,
    now: datetime,
    why: str,
) -> None:
    """Inside the caller's transaction with `grant` locked: discard it, ledger it, and shred if nothing else needs
    the key. Drafts never reach the gate (it ignores unsigned grants), so no version bump or broadcast is needed."""
    previous = grant.status
    grant.status = ConsentGrant.Status.DISCARDED
    grant.discarded_at = now
    grant.save(update_fields=["status", "discarded_at"])
    record_event(
        kind=kind,
        subject=f"consent:{grant.public_id}",
        payload={
            "influencer": str(grant.influencer.public_id),
            "previous_status": previous,
            "scope_sha256": grant.scope_sha256,
            "drafted_at": format_time(grant.created_at),
            "why": why,
        },
        actor=actor,
    )
    _shred_if_possible(influencer=grant.influencer, actor=actor, reason=why, ended=grant)


def discard_draft(*, grant: ConsentGrant, actor: User) -> ConsentGrant:
    """The influencer throws away a draft she has not signed (`consent.draft_discarded`); a signed grant is revoked
    instead, with a signature."""
    _require_owner(grant, actor)
    with transaction.atomic():
        locked = ConsentGrant.objects.select_for_update().select_related("influencer").get(pk=grant.pk)
        if locked.status not in ConsentGrant.DRAFT_STATUSES:
            raise DomainError(
                "Only an unsigned draft can be discarded; revoke a signed consent instead.",
                code="grant_not_a_draft",
                status_code=409,
            )
        _close_draft(locked, kind="consent.draft_discarded", actor=actor, now=timezone.now(), why="discarded")
    return locked


def expire_drafts(*, now: datetime | None = None, influencer: InfluencerProfile | None = None) -> int:
    """Discard every draft older than DRAFT_TTL (or past its valid_until), one transaction each; returns how many.

    Run by the periodic task for everyone, and lazily for one influencer before her grants are read or acted on.
    """
    now = now or timezone.now()
    stale = _stale_drafts(now)
    if influencer is not None:
        stale = stale.filter(influencer=influencer)
    ids = list(stale.values_list("pk", flat=True))
    ended = 0
    for pk in ids:
        with transaction.atomic():
            grant = (
                _stale_drafts(now)
                .select_for_update(skip_locked=True)
                .select_related("influencer")
                .filter(pk=pk)
                .first()
            )
            if grant is None:
                continue
            why = "draft_ttl" if grant.created_at <= now - DRAFT_TTL else "valid_until_passed"
            _close_draft(grant, kind="consent.draft_expired", actor=None, now=now, why=why)
            ended += 1
    return ended


def _refuse_stale_draft(grant: ConsentGrant) -> None:
    """Lazily expire `grant` if it is a lapsed draft, and refuse to go on with it."""
    if grant.status in ConsentGrant.DRAFT_STATUSES and _stale_drafts(timezone.now()).filter(pk=grant.pk).exists():
        expire_drafts(influencer=grant.influencer)
        raise DomainError("This draft lapsed: drafts are kept for 24 hours. Start a new consent.", code="draft_expired")


def place_legal_hold(*, influencer: InfluencerProfile, actor: User, reason: str) -> LegalHold:
    _require_staff(actor)
    if not reason.strip():
        raise DomainError("A legal hold needs a written reason.", code="reason_required", status_code=400)
    with transaction.atomic():
        hold = LegalHold.objects.create(influencer=influencer, reason=reason.strip(), created_by=actor)
        record_event(
            kind="vault.legal_hold_placed",
            subject=f"influencer:{influencer.public_id}",
            payload={"hold": hold.pk, "reason": reason.strip()},
            actor=actor,
        )
    return hold


def release_legal_hold(*, hold: LegalHold, actor: User) -> LegalHold:
    """Release a hold; with no other hold and no live consent left, the data key is destroyed now."""
    _require_staff(actor)
    with transaction.atomic():
        hold.released_at = timezone.now()
        hold.save(update_fields=["released_at"])
        influencer = hold.influencer
        record_event(
            kind="vault.legal_hold_released",
            subject=f"influencer:{influencer.public_id}",
            payload={"hold": hold.pk},
            actor=actor,
        )
        live = ConsentGrant.objects.filter(influencer=influencer, status__in=ConsentGrant.SIGNED_LIVE_STATUSES).exists()
        ended = ConsentGrant.objects.filter(influencer=influencer).exclude(status__in=LIVE_STATUSES).exists()
        if ended and not live and not _has_active_hold(influencer):
            vault.destroy_data_keys(influencer=influencer, actor=actor, reason="legal_hold_released")
    return hold


# Credentials ---------------------------------------------------------------------------------------------------


def _require_passkey_holder(user: User) -> None:
    """Passkeys sign consents (influencers), script approvals (a brand's real-name verified owners and reviewers,
    streaming.scripts) and go-live re-verifications (its real-name verified operators, streaming.streams); nobody
    else registers one."""
    if get_influencer_profile(user) is None and is_real_name_verified(user):
        from accounts.models import Membership

        roles = (Membership.Role.OWNER, Membership.Role.REVIEWER, Membership.Role.OPERATOR)
        if Membership.objects.filter(user=user, role__in=roles).exists():
            return
    require_eligible_influencer(user=user, action="register_passkey")


def _registration_cache_key(user: User) -> str:
    return f"veracast:consent:passkey-registration:{user.public_id}"


def begin_passkey_registration(*, user: User, rp: passkeys.RelyingParty) -> dict[str, Any]:
    """WebAuthn creation options; the challenge waits 5 minutes in the cache for `finish_passkey_registration`."""
    _require_passkey_holder(user)
    challenge = secrets.token_bytes(32)
    cache.set(_registration_cache_key(user), b64url(challenge), timeout=PASSKEY_REGISTRATION_TTL_SECONDS)
    existing = [bytes(c) for c in WebAuthnCredential.objects.filter(user=user).values_list("credential_id", flat=True)]
    return passkeys.registration_options(
        rp=rp,
        user_handle=user.public_id.bytes,
        user_name=user.email,
        display_name=user.display_name,
        challenge=challenge,
        exclude=existing,
    )


def finish_passkey_registration(
    *, user: User, rp: passkeys.RelyingParty, credential: dict[str, Any], label: str = ""
) -> WebAuthnCredential:
    _require_passkey_holder(user)
    stored = cache.get(_registration_cache_key(user))
    if not stored:
        raise DomainError("Start the passkey registration again.", code="registration_expired", status_code=400)
    from consent.receipts import b64url_decode

    try:
        registered = passkeys.verify_registration(credential=credential, challenge=b64url_decode(stored), rp=rp)
    except passkeys.PasskeyError as exc:
        raise DomainError(str(exc), code=exc.code, status_code=400) from None
    cache.delete(_registration_cache_key(user))
    with transaction.atomic():
        if WebAuthnCredential.objects.filter(credential_id=registered.credential_id).exists():
            raise DomainError("This passkey is already registered.", code="credential_exists")
        row = WebAuthnCredential.objects.create(
            user=user,
            credential_id=registered.credential_id,
            public_key=registered.public_key,
            sign_count=registered.sign_count,
            rp_id=rp.rp_id,
            label=label[:100],
        )
        record_event(
            kind="passkey.registered",
            subject=f"user:{user.public_id}",
            payload={
                "passkey": str(row.public_id),
                "credential_id_sha256": hashlib.sha256(registered.credential_id).hexdigest(),
                "rp_id": rp.rp_id,
            },
            actor=user,
        )
    return row


def register_api_signing_key(*, user: User, public_key: bytes, label: str = "") -> ApiSigningKey:
    """Register an Ed25519 public key (32 raw bytes) with which an API client signs consent documents."""
    require_eligible_influencer(user=user, action="register_api_key")
    try:
        Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        raise DomainError("An Ed25519 public key is 32 bytes.", code="invalid_public_key", status_code=400) from None
    key_id = key_id_for(public_key)
    with transaction.atomic():
        if ApiSigningKey.objects.filter(key_id=key_id).exists():
            raise DomainError("This key is already registered.", code="signing_key_exists")
        row = ApiSigningKey.objects.create(user=user, key_id=key_id, public_key=public_key, label=label[:100])
        record_event(
            kind="consent.api_key_registered",
            subject=f"user:{user.public_id}",
            payload={"key_id": key_id},
            actor=user,
        )
    return row


# Gate refusals ---------------------------------------------------------------------------------------------------


def record_use_refused(
    *,
    influencer_id: int,
    brand: Organisation,
    reason: str,
    purpose: str,
    platform: str,
    modalities: Sequence[str],
    use: str,
) -> None:
    """Ledger the detailed reason the gate refused a brand's use (`consent.use_refused`), under the influencer's
    subject and with no organisation, so that the brand's members and auditors never read it; the brand itself is
    only told `gate.BRAND_REFUSAL_CODE`. Its own transaction: the refusal must survive the failing request."""
    influencer_public_id = (
        InfluencerProfile.objects.filter(pk=influencer_id).values_list("public_id", flat=True).first()
    )
    if influencer_public_id is None:
        return  # no such person: nothing about anyone to record
    with transaction.atomic():
        record_event(
            kind="consent.use_refused",
            subject=f"influencer:{influencer_public_id}",
            payload={
                "brand": str(brand.public_id),
                "reason": reason,
                "use": use,
                "purpose": purpose,
                "platform": platform,
                "modalities": sorted(modalities),
            },
            actor="system",
        )

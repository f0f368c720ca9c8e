"""The catalogue of ledger event kinds: every kind the platform records, with its payload fields and what it means.

docs/ledger.md lists the same catalogue for people. tests/audit/test_every_recorded_kind_is_catalogued.py fails
when code records a kind that is not here (it scans every `record_event`/`EventSpec` call outside tests), and the
demo's end-to-end test checks the kinds it actually wrote. Audit rules read this module: add a kind here (and to
docs/ledger.md) in the change that first records it. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    kind: str
    subject: str  # the subject type the event is chained under ("<type>:<id>")
    payload: tuple[str, ...]  # the payload's fields (every one present unless marked optional in the description)
    description: str


_KINDS = (
    # accounts ----------------------------------------------------------------------------------------------------
    EventKind("user.created", "user", ("user", "is_staff", "is_platform_auditor"), "A user account was created."),
    EventKind(
        "organisation.created", "organisation", ("organisation", "name", "slug"), "A brand organisation was created."
    ),
    EventKind("organisation.updated", "organisation", ("name", "previous_name"), "A brand was renamed."),
    EventKind(
        "membership.set",
        "organisation",
        ("user", "role", "previous_role", "invitation"),
        "A user joined an organisation or changed role (previous_role null when new; invitation, optional, names the "
        "accepted invitation it came from).",
    ),
    EventKind("membership.removed", "organisation", ("user", "previous_role"), "A user left an organisation."),
    EventKind(
        "invitation.created",
        "organisation",
        ("invitation", "role", "expires_at", "invited_by"),
        "An owner invited someone (by e-mail, never in the ledger) to join with a role.",
    ),
    EventKind("invitation.accepted", "organisation", ("invitation", "role", "by"), "The invitee accepted."),
    EventKind("invitation.declined", "organisation", ("invitation", "role", "by"), "The invitee declined."),
    EventKind(
        "invitation.cancelled",
        "organisation",
        ("invitation", "role", "by"),
        "An owner cancelled an open invitation (also when it is re-sent).",
    ),
    EventKind("invitation.expired", "organisation", ("invitation", "role"), "An open invitation passed its expiry."),
    EventKind(
        "organisation.legal_entity_submitted",
        "organisation",
        ("organisation", "uscc", "legal_name_sha256", "previous_status"),
        "An owner submitted the brand's legal entity (USCC; the legal name only as a hash) for verification.",
    ),
    EventKind(
        "organisation.verified",
        "organisation",
        ("organisation", "uscc", "legal_name_sha256", "name", "verified_by"),
        "Platform staff verified the brand's legal entity: consent may now be granted to it.",
    ),
    EventKind(
        "organisation.verification_rejected",
        "organisation",
        ("organisation", "uscc", "reason", "previous_status", "rejected_by"),
        "Platform staff rejected the brand's legal entity, with the reason.",
    ),
    EventKind(
        "api_token.issued", "user", ("user", "token", "expires_at"), "An API token was issued at login (digest only)."
    ),
    EventKind(
        "api_token.revoked",
        "user",
        ("user", "token", "reason"),
        "An API token was revoked (reason: logout or revoked).",
    ),
    EventKind(
        "influencer.created", "influencer", ("influencer", "user", "stage_name"), "An influencer profile was created."
    ),
    EventKind(
        "real_name.verified",
        "user",
        ("user", "document_type", "id_number_last4", "method", "is_adult", "verified_by"),
        "A real-name record was verified (the ID number only by its last 4; older events also hold a keyed hash).",
    ),
    # consent -----------------------------------------------------------------------------------------------------
    EventKind(
        "consent_template.drafted",
        "consent_template",
        ("family", "language", "version", "sha256"),
        "A consent text version was drafted.",
    ),
    EventKind(
        "consent_template.revised", "consent_template", ("version", "sha256"), "A draft consent text was edited."
    ),
    EventKind(
        "consent_template.published",
        "consent_template",
        ("family", "language", "version", "sha256", "retired"),
        "A consent text version was published; `retired` names the version it replaces.",
    ),
    EventKind("passkey.registered", "user", ("passkey", "credential_id_sha256", "rp_id"), "A passkey was registered."),
    EventKind("consent.api_key_registered", "user", ("key_id",), "An Ed25519 API signing key was registered."),
    EventKind(
        "consent.drafted",
        "consent",
        ("influencer", "template", "template_sha256", "scope_sha256", "brands"),
        "A consent grant was drafted with its scope document.",
    ),
    EventKind(
        "consent.statement_challenge_issued",
        "consent",
        ("challenge", "expires_at", "actions"),
        "A one-time code and the random liveness actions (each with its time window) for the recorded consent "
        "statement were issued.",
    ),
    EventKind(
        "consent.statement_recorded",
        "consent",
        (
            "statement",
            "statement_sha256",
            "challenge",
            "sample",
            "scope_sha256",
            "previous_scope_sha256",
            "spoken_code",
            "liveness",
            "screens",
            "face",
            "voice",
            "needs_review",
        ),
        "The consent statement video was recorded and checked: the code heard in the speech (digits only, no "
        "transcript), the liveness actions seen in order, the generated-content screens, face and voice against the "
        "sample it binds (sample: id and sha256; the scope document now names it).",
    ),
    EventKind(
        "consent.sample_rebound",
        "consent",
        ("previous_sample", "sample", "statement", "face"),
        "The grant's stored statement was checked against a newer training sample and the grant now binds that one.",
    ),
    EventKind(
        "consent.signed",
        "consent",
        (
            "influencer",
            "status",
            "template",
            "template_sha256",
            "scope_sha256",
            "influencer_signature",
            "platform_countersignature",
        ),
        "The influencer signed the grant and the platform countersigned it.",
    ),
    EventKind("consent.reviewed", "consent", ("decision", "reason", "status"), "Staff reviewed a grant."),
    EventKind(
        "consent.media_viewed",
        "consent",
        ("media", "object", "plaintext_sha256"),
        "A reviewer started watching a grant's statement video or training sample (decrypted in memory, streamed).",
    ),
    EventKind(
        "consent.refused", "consent", ("action", "reason"), "A consent action was refused (e.g. a failed check)."
    ),
    EventKind(
        "consent.revoked",
        "consent",
        ("previous_status", "scope_sha256", "confirmation"),
        "The influencer revoked a grant, confirmed by passkey or API key. No segment is published after it.",
    ),
    EventKind(
        "consent.expired", "consent", ("previous_status", "valid_until"), "A grant passed its valid_until and ended."
    ),
    EventKind(
        "consent.draft_discarded",
        "consent",
        ("influencer", "previous_status", "scope_sha256", "drafted_at", "why"),
        "The influencer threw away an unsigned draft (why: discarded).",
    ),
    EventKind(
        "consent.draft_expired",
        "consent",
        ("influencer", "previous_status", "scope_sha256", "drafted_at", "why"),
        "An unsigned draft lapsed (why: draft_ttl after 24 h, or valid_until_passed).",
    ),
    EventKind(
        "consent.use_refused",
        "influencer",
        ("brand", "reason", "use", "purpose", "platform", "modalities"),
        "The gate refused a brand's use; the detailed reason, for the influencer and staff only (the brand is told "
        "no_consent_for_you). use: avatar_request, avatar_build, render_job_request, render_segment, "
        "short_video_request, short_video_render, voice_clone_upload, voice_clone_utterance or "
        "voice_clone_revocation_check.",
    ),
    # vault -------------------------------------------------------------------------------------------------------
    EventKind("vault.key_created", "influencer", ("data_key", "master_key_id"), "A per-influencer data key was made."),
    EventKind(
        "vault.object_stored",
        "influencer",
        ("object", "kind", "plaintext_sha256", "ciphertext_sha256", "media"),
        "A biometric sample, statement or avatar asset was stored encrypted.",
    ),
    EventKind(
        "vault.key_destroyed",
        "influencer",
        ("data_key", "reason", "destroyed_at", "objects"),
        "A data key was destroyed: its objects are crypto-shredded.",
    ),
    EventKind(
        "vault.key_retained",
        "influencer",
        ("grant", "why"),
        "A data key was kept after a grant ended (another grant or a legal hold needs it).",
    ),
    EventKind("vault.legal_hold_placed", "influencer", ("hold", "reason"), "A legal hold was placed."),
    EventKind("vault.legal_hold_released", "influencer", ("hold",), "A legal hold was released."),
    # render ------------------------------------------------------------------------------------------------------
    EventKind(
        "avatar.requested",
        "avatar",
        ("influencer", "brand", "consent_grant_id", "sample", "sample_sha256", "modalities", "purpose", "platform"),
        "A brand asked for an avatar; the gate allowed it and the build was queued.",
    ),
    EventKind("avatar.gestures_marked", "avatar", ("marks",), "Gesture marks were set; the avatar is rebuilt."),
    EventKind("avatar.build_started", "avatar", ("sample",), "A render worker started building the avatar."),
    EventKind(
        "avatar.ready",
        "avatar",
        ("assets", "assets_sha256", "ciphertext_sha256", "gesture_marks", "clips", "consent_grant_id"),
        "The avatar was built and its assets stored in the vault.",
    ),
    EventKind("avatar.failed", "avatar", ("reason", "message"), "The build failed or the gate refused it."),
    EventKind(
        "voice_clone.reference_sent",
        "avatar",
        (
            "server",
            "reference_sha256",
            "bytes",
            "purpose",
            "platform",
            "consent_grant_id",
            "clone_voice",
            "server_voice_id",
        ),
        "The influencer's reference audio (the consented sample's sound track, 16 kHz WAV) left the vault to the "
        "configured clone server (server: its origin) for a use the gate allowed for the voice modality; "
        "server_voice_id is the voice made from it.",
    ),
    EventKind(
        "voice_clone.reference_send_failed",
        "avatar",
        ("server", "reference_sha256", "bytes", "purpose", "platform", "consent_grant_id", "reason"),
        "Sending the reference audio to the clone server failed (reason: clone_server_down, clone_server_timeout, "
        "clone_server_error); the bytes may have left.",
    ),
    EventKind(
        "voice_clone.verified",
        "avatar",
        ("similarity", "threshold"),
        "The first cloned utterance of a render matched the influencer's consented voice (resemblyzer cosine "
        "similarity).",
    ),
    EventKind(
        "voice_clone.verification_failed",
        "avatar",
        ("similarity", "threshold"),
        "Cloned speech did not match the influencer's consented voice: it was not aired and the render failed "
        "(clone_voice_mismatch).",
    ),
    EventKind(
        "voice_clone.voice_deleted",
        "avatar",
        ("clone_voice", "server", "server_voice_id", "reason", "outcome"),
        "After a revocation or expiry the server-side voice was deleted through the API (outcome: deleted, "
        "already_gone).",
    ),
    EventKind(
        "voice_clone.voice_delete_failed",
        "avatar",
        ("clone_voice", "server", "server_voice_id", "reason", "error"),
        "After a revocation or expiry the server-side voice could not be deleted (error: clone_delete_unsupported, "
        "clone_server_down, clone_server_timeout, clone_server_error, clone_server_changed, "
        "clone_server_not_configured): an operator must delete it by hand.",
    ),
    EventKind(
        "avatar.shredded",
        "avatar",
        ("reason",),
        "The avatar's assets key was destroyed with its consent (no grant id: the ended grant may be another brand's).",
    ),
    EventKind(
        "render_job.submitted",
        "render_job",
        ("job", "avatar", "consent_grant_id", "settings", "script_line_ids", "script_sha256", "script"),
        "A render job was submitted (gate and script checked) and queued; script is the approved version it speaks "
        "(script, script_version, script_version_number, script_version_sha256, script_approval).",
    ),
    EventKind("render_job.started", "render_job", ("job",), "A render worker started the job."),
    EventKind(
        "segment.published",
        "render_job",
        (
            "job",
            "sequence",
            "uri",
            "sha256",
            "bytes",
            "duration",
            "wall_clock_start",
            "manifest_id",
            "previous_manifest_id",
            "watermark_id",
            "label_parameters",
            "consent_grant_id",
            "script_line_ids",
            "storage_name",
            "init_manifest_id",
            "slate",
            "reason",
        ),
        "A signed segment was stored and published (render.engine.segment.SegmentRecord.ledger_payload plus where "
        "it is stored); committed with its Segment row, after re-checking the grant under its row lock. Optional "
        "slate and reason: only on a live stream's end slate (render/slates.py), published with consent_grant_id "
        "null since it shows no likeness.",
    ),
    EventKind("render_job.ended", "render_job", ("job", "published_segments"), "Every segment was published."),
    EventKind(
        "render_job.stopped",
        "render_job",
        ("job", "published_segments", "reason", "message"),
        "The job was cancelled: by a person, or because the gate or the grant refused (reason: the gate's code).",
    ),
    EventKind(
        "render_job.failed",
        "render_job",
        ("job", "published_segments", "reason", "message"),
        "The engine refused the job's input or settings (reason: a stable code).",
    ),
    EventKind(
        "short_video.submitted",
        "short_video",
        ("video", "avatar", "consent_grant_id", "platform", "settings", "script", "script_line_ids"),
        "A short video of an approved script was submitted (gate for purpose short_video and the script source "
        "checked) and queued; script: the script, version (id, number, sha256) and approval it speaks.",
    ),
    EventKind(
        "short_video.completed",
        "short_video",
        (
            "video",
            "sha256",
            "bytes",
            "duration",
            "width",
            "height",
            "manifest_id",
            "watermark_id",
            "aigc",
            "consent_grant_id",
            "script",
            "line_versions",
            "storage_name",
        ),
        "The MP4 was rendered, signed (one C2PA manifest) and stored; committed after re-checking the grant under its "
        "row lock. watermark_id: the stream code in every frame; line_versions: line id -> approved version sha256.",
    ),
    EventKind(
        "short_video.failed",
        "short_video",
        ("video", "reason", "message"),
        "The short video was not made: the gate or the script source refused at start or mid-render (the gate's "
        "neutral code), or the engine refused its input (a stable code). No file is kept.",
    ),
    # streaming: the catalog ---------------------------------------------------------------------------------------
    EventKind(
        "product.created",
        "product",
        ("product", "sku", "name", "price", "currency", "category"),
        "A brand added a product to its catalog (price as a decimal string).",
    ),
    EventKind(
        "product.updated",
        "product",
        ("product", "sku", "changes"),
        "A product changed: changes maps each changed field to [old, new] (decimals and dates as strings).",
    ),
    EventKind("product.deleted", "product", ("product", "sku"), "A product was removed from the catalog."),
    EventKind(
        "product.image_added", "product", ("product", "image", "sha256"), "An image (checked by Pillow) was added."
    ),
    EventKind("product.image_removed", "product", ("product", "image", "sha256"), "A product image was removed."),
    EventKind(
        "faq.created",
        "product",
        ("product", "faq", "language", "question", "answer_sha256"),
        "An FAQ entry (question, variants and the approved answer) was added to a product.",
    ),
    EventKind(
        "faq.updated",
        "product",
        ("product", "faq", "fields", "answer_sha256"),
        "An FAQ entry changed (fields: the names of the changed fields; answer_sha256: the answer now).",
    ),
    EventKind("faq.deleted", "product", ("product", "faq"), "An FAQ entry was removed."),
    EventKind(
        "catalog.imported",
        "organisation",
        ("files", "products", "faq", "changed_skus"),
        "A catalog CSV import was applied, all or nothing: files maps products/faq to the file's SHA-256; products "
        "and faq count new, changed and unchanged rows; changed_skus lists up to 1,000 new or changed skus.",
    ),
    EventKind(
        "stream.created",
        "stream",
        (
            "stream",
            "title",
            "avatar",
            "platform",
            "rtmp_host",
            "stream_key_last4",
            "registration_id",
            "acknowledgements",
            "operators",
            "resolution",
            "shuffle_within_intents",
            "answers_at_once",
            "playlist",
            "starts_at",
            "stops_at",
            "time_zone",
        ),
        "A brand set up a draft stream: avatar, platform, RTMP host (never the key: only its last 4), "
        "registration id, profile acknowledgements, operators, resolution, the playlist of approved versions "
        "(id and sha256 by position) and the schedule.",
    ),
    EventKind(
        "stream.updated",
        "stream",
        (
            "stream",
            "fields",
            "setup",
        ),
        "A draft or scheduled stream's setup changed: fields names what changed, setup is the whole setup now"
        " (as stream.created; never the key).",
    ),
    EventKind(
        "stream.scheduled",
        "stream",
        (
            "stream",
            "from",
            "to",
            "reason",
            "by",
        ),
        "A draft stream was scheduled (its times ahead and not overlapping a stream of the same avatar or grant).",
    ),
    EventKind(
        "stream.went_live",
        "stream",
        (
            "stream",
            "from",
            "to",
            "reason",
            "by",
        ),
        "The stream went live after every go-live check passed and the operator re-verified with a passkey; "
        "the live runner is queued separately.",
    ),
    EventKind(
        "stream.paused",
        "stream",
        (
            "stream",
            "from",
            "to",
            "reason",
            "by",
        ),
        "A live stream was paused (by an operator, or for an operator's absence).",
    ),
    EventKind(
        "stream.resumed",
        "stream",
        (
            "stream",
            "from",
            "to",
            "reason",
            "by",
        ),
        "A paused stream went live again.",
    ),
    EventKind(
        "stream.ended",
        "stream",
        (
            "stream",
            "from",
            "to",
            "reason",
            "by",
        ),
        "The stream ended (or a draft or scheduled stream was cancelled).",
    ),
    EventKind(
        "stream.failed",
        "stream",
        (
            "stream",
            "from",
            "to",
            "reason",
            "by",
        ),
        "The stream failed (reason says why).",
    ),
    EventKind(
        "stream.go_live_refused",
        "stream",
        (
            "stream",
            "operator",
            "codes",
        ),
        "An operator tried to go live and was refused: codes are the stable go-live refusal codes "
        "(no_consent_for_you for any consent reason).",
    ),
    EventKind(
        "stream.operator_verified",
        "stream",
        (
            "stream",
            "operator",
            "document_sha256",
            "credential_id",
            "consent_grant_id",
            "playlist",
        ),
        "At go-live the operator's passkey signed the go-live document (its SHA-256): this stream, this "
        "operator, these version hashes, now; the grant the gate allowed.",
    ),
    EventKind(
        "stream.operator_arrived",
        "stream",
        (
            "stream",
            "operator",
            "previous_seen_at",
        ),
        "An assigned operator's console sent its first heartbeat, or its first after more than the presence "
        "timeout without one (previous_seen_at: the beat before, or null). Single heartbeats are not "
        "ledgered.",
    ),
    EventKind(
        "stream.presence_lapsed",
        "stream",
        (
            "stream",
            "last_heartbeat_at",
            "timeout_s",
            "detected_at",
        ),
        "A presence gap began: no assigned operator's heartbeat within the stream's presence timeout while it"
        " was live or paused (recorded once per gap, by the system, when the runner looked).",
    ),
    EventKind(
        "stream.presence_restored",
        "stream",
        (
            "stream",
            "operator",
            "absent_since",
            "gap_seconds",
        ),
        "A presence gap ended: the named operator's heartbeat arrived; gap_seconds is how long no operator "
        "was present.",
    ),
    EventKind(
        "stream.presence_timeout_set",
        "stream",
        (
            "stream",
            "timeout_s",
            "previous",
        ),
        "The stream's presence timeout changed (10 to 300 s; it cannot be switched off).",
    ),
    EventKind(
        "stream.interjection_accepted",
        "stream",
        (
            "stream",
            "interjection",
            "text",
            "language",
            "at_once",
            "by",
            "rules_version",
            "findings",
        ),
        "An operator's typed line passed the linter (no blocking finding; findings lists rule/severity of any"
        " review finding) and waits for the runner: at_once true cuts in at once, false waits for the next "
        "sentence boundary.",
    ),
    EventKind(
        "stream.interjection_refused",
        "stream",
        (
            "stream",
            "interjection",
            "text",
            "language",
            "at_once",
            "by",
            "rules_version",
            "findings",
        ),
        "An operator's typed line was refused by the linter (findings: rule/severity of every finding); it is"
        " kept, never spoken.",
    ),
    EventKind(
        "stream.interjection_spoken",
        "stream",
        (
            "stream",
            "interjection",
            "sequence",
            "at",
            "by",
        ),
        "The live runner started speaking an accepted interjection in segment `sequence` (by: the operator "
        "who typed it).",
    ),
    # interaction ---------------------------------------------------------------------------------------------
    EventKind(
        "interaction.webhook_secret_issued",
        "stream",
        ("stream", "last4", "replaced"),
        "A stream's comment webhook secret was issued (replaced: an earlier one stopped working); only its last 4.",
    ),
    EventKind(
        "interaction.comment_received",
        "stream",
        ("stream", "comment", "platform", "author", "text", "events", "sent_at"),
        "A viewer's comment arrived through the signed webhook (author: keyed hash of the platform's id, never the "
        "id).",
    ),
    EventKind(
        "interaction.comment_decided",
        "stream",
        ("stream", "comment", "decision", "reason", "confidence", "threshold", "candidates", "flags", "rules_version"),
        "What was decided for a comment: answer, operator or suppressed, with the calibrated confidence, the top "
        "candidates' scores and the moderation flags.",
    ),
    EventKind(
        "interaction.answer_queued",
        "stream",
        ("stream", "comment", "answer", "faq", "source", "text", "author", "by"),
        "An approved sentence was queued for the runner in reply to a comment (source: matched, suggested or typed; "
        "by: the operator, null when matched).",
    ),
    EventKind(
        "interaction.answer_spoken",
        "stream",
        ("stream", "answer", "comment", "faq", "source", "text", "sequence", "at"),
        "The live runner started speaking a queued answer in segment `sequence` (answer and faq: public ids, faq "
        "null for a typed reply; text: exactly what was spoken; the segment's script_line_ids name "
        "answer:<answer>).",
    ),
    EventKind(
        "interaction.answer_withdrawn",
        "stream",
        ("stream", "answer", "comment", "faq", "reason", "rules_version"),
        "A queued answer failed the linter just before it would have been spoken (the word lists changed since it "
        "was queued): it is never spoken and its comment went back to the operator with the reason.",
    ),
    EventKind(
        "interaction.answer_expired",
        "stream",
        ("stream", "answer", "comment", "faq", "reason", "waited_s", "limit_s", "at"),
        "The live runner would have spoken a queued answer only `waited_s` seconds after it was queued, past "
        "`limit_s` (LIVE_ANSWER_MAX_WAIT_SECONDS): it is never spoken and its comment went back to the operator "
        "with the reason answer_expired.",
    ),
    EventKind(
        "stream.taken_over",
        "stream",
        (
            "stream",
            "takeover",
            "by",
            "reason",
        ),
        "An operator took the stream over: the labeled holding slate airs until someone hands back.",
    ),
    EventKind(
        "stream.handed_back",
        "stream",
        (
            "stream",
            "takeover",
            "by",
            "taken_by",
            "seconds",
        ),
        "An operator handed the stream back to the avatar (by: who handed back; taken_by: who had taken over;"
        " seconds: how long).",
    ),
    EventKind(
        "stream.runner_claimed",
        "stream",
        ("stream", "holder", "claim", "takeover", "next_sequence"),
        "A render worker claimed the stream's lease (streaming/runner/lease.py); takeover is true when an earlier "
        "runner's lease lapsed, and next_sequence is where the stream continues.",
    ),
    EventKind(
        "stream.rtmp_outage",
        "stream",
        ("stream", "duration_s", "attempts", "reason", "recovered"),
        "The RTMP push was refused or dropped for duration_s (reason masked: never the stream key); recovered "
        "false when the runner gave up and the stream failed. The archive kept rendering meanwhile.",
    ),
    EventKind(
        "stream.tone_changed",
        "stream",
        ("stream", "from", "to", "abuse_per_minute", "orders_per_minute", "window_s", "held_s"),
        "The live host's tone changed (neutral, upbeat, calm; interaction/tone.py) from the room's abuse rate "
        "(suppressed comments per minute) and orders per minute over window_s; held_s: how long the old tone lasted.",
    ),
    EventKind(
        "stream.strategy_tier_changed",
        "stream",
        ("stream", "from", "to", "viewers", "few_below", "crowd_from", "held_s"),
        "The live host's strategy tier changed (few, normal, crowd) with the viewer count against the stream's "
        "thresholds: it reorders the approved lines still to come, never adds one.",
    ),
    EventKind(
        "stream.interjection_planned",
        "stream",
        ("stream", "interjection", "at_once", "sequence", "by"),
        "An operator's interjection was planned into the stream, spoken from segment `sequence`.",
    ),
    EventKind(
        "script.created", "script", ("script", "title", "language", "avatar"), "A brand created a selling script."
    ),
    EventKind(
        "script.version_saved",
        "script",
        ("script", "version", "number", "sha256", "source", "rules_version", "findings", "blocking_count"),
        "A new (unapproved) version of a script was stored: its canonical JSON's SHA-256, its source (manual, "
        "builtin, llm), and the linter's findings summarised as counts per rule and severity under rules_version.",
    ),
    EventKind(
        "script.generated",
        "script",
        ("script", "version", "backend", "model", "products", "language"),
        "A draft version was generated from catalog products (backend builtin or llm; model empty for builtin).",
    ),
    EventKind(
        "linter.rules_changed",
        "linter",
        ("version", "previous", "files", "entries"),
        "The linter's word lists took effect in a new version (first script version linted under it): its "
        "rules_version, the version it replaced, each data file's SHA-256 and the number of entries.",
    ),
    EventKind(
        "script.approved",
        "script",
        (
            "script",
            "version",
            "version_sha256",
            "approval",
            "reviewer",
            "findings",
            "overrides",
            "document_sha256",
            "credential_id",
        ),
        "A named, real-name verified reviewer of the brand approved one version with their passkey: the signed "
        "document's SHA-256 (it binds the version hash, the findings and every override with its reason).",
    ),
    # audit exports -----------------------------------------------------------------------------------------------
    EventKind(
        "audit.export_requested",
        "audit_export",
        ("export", "organisation", "subject", "influencer", "since", "until", "include_media", "requested_by"),
        "An auditor or staff member asked for a signed bundle of an organisation's records (subject, influencer, "
        "since and until narrow it, null when not given); a task builds it.",
    ),
    EventKind(
        "audit.export_completed",
        "audit_export",
        ("export", "sha256", "bytes", "events", "checkpoints", "key_id"),
        "The bundle was built and signed (sha256 and bytes of the zip; key_id signed its manifest).",
    ),
    EventKind(
        "audit.export_failed", "audit_export", ("export", "reason"), "The bundle could not be built; reason says why."
    ),
    EventKind(
        "audit.export_refused",
        "user",
        ("organisation", "reason"),
        "A user asked for a bundle of an organisation outside their scope (organisation: the slug asked for) and was "
        "refused.",
    ),
    # compliance --------------------------------------------------------------------------------------------------
    EventKind(
        "compliance.pia_saved",
        "organisation",
        ("assessment", "sha256"),
        "A personal-information impact assessment (PIPL Arts. 55-56) was saved as a draft; sha256 of its text.",
    ),
    EventKind(
        "compliance.pia_approved",
        "organisation",
        ("assessment", "sha256", "retain_until"),
        "The assessment was approved (owner or staff); renders and avatars of the brand may now start. Kept 3 years. "
        "First design (per organisation): no longer recorded, kept in older ledgers.",
    ),
    EventKind(
        "compliance.influencer_pia_saved",
        "influencer",
        ("assessment", "sha256", "purposes", "modalities"),
        "Platform staff saved a draft impact assessment (PIPL Arts. 55-56) of the influencer's biometric processing; "
        "sha256 of its canonical document; purposes and modalities it covers.",
    ),
    EventKind(
        "compliance.influencer_pia_approved",
        "influencer",
        ("assessment", "sha256", "purposes", "modalities", "retain_until"),
        "Platform staff approved the influencer's impact assessment: the consent gate allows the purposes and "
        "modalities it covers from now on. Kept 3 years (3Y_MIN).",
    ),
    EventKind(
        "compliance.legal_hold_placed",
        "organisation",
        ("hold", "stream_id", "reason"),
        "Staff placed a legal hold on the organisation's records (stream_id empty: all of them); purges skip them.",
    ),
    EventKind("compliance.legal_hold_released", "organisation", ("hold", "stream_id"), "A legal hold was released."),
    EventKind(
        "compliance.recording_purged",
        "render_job",
        ("job", "retention_class", "retain_until", "files"),
        "The retention purge deleted the stored files of a stream past its retention date (segment hashes and "
        "ledger events stay).",
    ),
    EventKind(
        "compliance.report_generated",
        "organisation",
        ("stream_id", "since", "until", "sha256", "failed", "passed"),
        "A compliance report was generated and downloaded as PDF (sha256 of the report's JSON).",
    ),
    EventKind(
        "compliance.artifact_checked",
        "render_job",
        ("check", "interval_seconds", "samples", "results"),
        "A stream's stored artifacts were re-examined (label in sampled frames, AIGC metadata, C2PA, watermark).",
    ),
    # portal ------------------------------------------------------------------------------------------------------
    EventKind("demo.run", "demo", ("personas", "organisations"), "`manage.py demo` seeded its personas."),
)

EVENT_KINDS: dict[str, EventKind] = {k.kind: k for k in _KINDS}


def is_catalogued(kind: str) -> bool:
    return kind in EVENT_KINDS

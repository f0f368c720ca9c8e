"""Models of the streaming domain. So far the brand's catalog: products, their images and their FAQ.

A product belongs to one brand (`organisation`); its `sku` is unique within the brand. Prices are Decimals (never
floats) and never negative. An original (struck-through) price is only shown with evidence that the product was
sold at it (a note and/or an uploaded file, and the dates it applied): Price Law and the SAMR rules on price
comparisons treat an invented "was" price as a false claim.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from streaming import categories

MAX_SELLING_POINTS = 20
MAX_SELLING_POINT_LENGTH = 200
MAX_VARIANTS = 20
PRESENCE_TIMEOUT_DEFAULT_S = 60
PRESENCE_TIMEOUT_MIN_S = 10
PRESENCE_TIMEOUT_MAX_S = 300


class Product(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="CNY")
    original_price = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    original_price_note = models.TextField(blank=True)
    original_price_evidence = models.CharField(max_length=300, blank=True)  # a storage name
    original_price_from = models.DateField(null=True, blank=True)
    original_price_until = models.DateField(null=True, blank=True)
    selling_points = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=32, choices=categories.choices())
    stock_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["sku"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "sku"], name="one_sku_per_brand"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(
                condition=models.Q(original_price__isnull=True) | models.Q(original_price__gte=0),
                name="product_original_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    @property
    def subject(self) -> str:
        return f"product:{self.public_id}"

    @property
    def category_name(self) -> categories.Category:
        return categories.BY_CODE[self.category]


class ProductImage(models.Model):
    """An image of a product, checked with Pillow on upload and kept in the default storage."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    storage_name = models.CharField(max_length=300)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"image {self.public_id} of {self.product_id}"

    @property
    def organisation(self) -> Organisation:
        return self.product.organisation


class FaqEntry(models.Model):
    """One question a viewer may ask about a product, its other phrasings, and the answer the brand approved."""

    class Language(models.TextChoices):
        ZH = "zh", "中文"
        EN = "en", "English"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="faq")
    language = models.CharField(max_length=2, choices=Language.choices)
    question = models.CharField(max_length=500)
    variants = models.JSONField(default=list, blank=True)
    answer = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["product", "language", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["product", "language", "question"], name="one_faq_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} [{self.language}] {self.question}"

    @property
    def organisation(self) -> Organisation:
        return self.product.organisation


class Script(models.Model):
    """A selling script of a brand: a sequence of versions, each immutable once stored (any edit is a new version).

    `avatar` optionally names the digital human that will voice it: its influencer's consent exclusions are then
    checked at approval (and always again at render time, against the grant the job runs on)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scripts")
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=FaqEntry.Language.choices)
    avatar = models.ForeignKey(
        "render.Avatar", null=True, blank=True, on_delete=models.SET_NULL, related_name="scripts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return f"script {self.public_id} {self.title}"

    @property
    def subject(self) -> str:
        return f"script:{self.public_id}"


class ScriptVersion(models.Model):
    """One stored version: its lines, their canonical form (RFC 8785 of {"script", "number", "lines"}) and its
    SHA-256, and the linter's findings at save time (with the rules version they were found under)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Written by a person")
        BUILTIN = "builtin", _("Built-in generator")
        LLM = "llm", _("Language model")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    lines = models.JSONField(default=list)
    canonical = models.TextField()
    sha256 = models.CharField(max_length=64)
    findings = models.JSONField(default=list, blank=True)
    rules_version = models.CharField(max_length=64)
    blocking_count = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    generator = models.JSONField(default=dict, blank=True)  # backend and model of a generated draft
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["script", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["script", "number"], name="one_script_version_number"),
        ]

    def __str__(self) -> str:
        return f"version {self.number} of {self.script_id} ({self.sha256[:12]})"

    @property
    def subject(self) -> str:
        return f"script_version:{self.public_id}"

    @property
    def organisation(self) -> Organisation:
        return self.script.organisation


class ScriptApproval(models.Model):
    """A named reviewer's passkey signature over one version: the signed document (canonical JSON of the version's
    hash, its findings, the overrides with their reasons, the reviewer and the time) and the assertion."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.OneToOneField(ScriptVersion, on_delete=models.CASCADE, related_name="approval")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.TextField()
    document_sha256 = models.CharField(max_length=64)
    overrides = models.JSONField(default=dict, blank=True)
    credential_id = models.CharField(max_length=400)
    assertion = models.JSONField(default=dict)
    ledger_event = models.ForeignKey(
        "audit.LedgerEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"approval {self.public_id} of {self.version_id}"

    @property
    def subject(self) -> str:
        return f"script_approval:{self.public_id}"


class Stream(models.Model):
    """A brand's livestream: an avatar speaking a playlist of approved script versions on one platform, pushed to an
    RTMP ingest, supervised by assigned real-name operators, within a schedule.

    The state changes only through `streaming.streams.transition_stream` (a table of allowed moves, each ledgered).
    The stream key is stored only as AES-GCM ciphertext (streaming.stream_keys); `stream_key_last4` is all a page ever
    shows of it. `runner_status` says what the live runner (streaming.runner) is doing: going live queues it, a
    worker that claims the stream's lease runs it, and it ends as finished or failed. `pause_cause` tells a pause the
    runner made (operator absent, licence used up) from an operator's own."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")
        FAILED = "failed", _("Failed")

    class Platform(models.TextChoices):
        # The same codes as the consent scope (consent.scope.PLATFORMS), so the gate reads the stream's platform as is.
        DOUYIN = "douyin", _("Douyin")
        KUAISHOU = "kuaishou", _("Kuaishou")
        TAOBAO = "taobao", _("Taobao Live")
        WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")

    class RunnerStatus(models.TextChoices):
        NOT_QUEUED = "", _("Not queued")
        QUEUED = "queued", _("Queued for a render worker")
        RUNNING = "running", _("Running on a render worker")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    class PauseCause(models.TextChoices):
        NONE = "", _("Not paused by the runner")
        OPERATOR = "operator", _("Paused by an operator")
        OPERATOR_ABSENT = "operator_absent", _("No operator present")
        LICENCE = "licence", _("Today's licensed live time is used up")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="streams")
    title = models.CharField(max_length=200)
    avatar = models.ForeignKey("render.Avatar", on_delete=models.PROTECT, related_name="streams")
    platform = models.CharField(max_length=32, choices=Platform.choices)
    rtmp_url = models.CharField(max_length=500)
    stream_key_ciphertext = models.BinaryField()
    stream_key_last4 = models.CharField(max_length=4)
    registration_id = models.CharField(max_length=128, blank=True)
    # Acknowledgements the platform profile asks for (e.g. {"digital_human_declaration": true}).
    acknowledgements = models.JSONField(default=dict, blank=True)
    operators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="operated_streams", blank=True)
    resolution = models.CharField(max_length=32, default="720p-portrait")
    shuffle_within_intents = models.BooleanField(default=False)
    # Answers to viewers' comments: False at the next sentence boundary (after the line on air), True at once (cut
    # into the line at its next pause, like an operator's at-once line, then the line again): docs/live-interaction.md.
    answers_at_once = models.BooleanField(default=False)
    starts_at = models.DateTimeField()
    stops_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="Asia/Shanghai")
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    state_reason = models.CharField(max_length=500, blank=True)
    runner_status = models.CharField(max_length=32, choices=RunnerStatus.choices, blank=True, default="")
    pause_cause = models.CharField(max_length=32, choices=PauseCause.choices, blank=True, default="")
    consent_grant = models.ForeignKey(
        "consent.ConsentGrant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    went_live_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Seconds without an operator's heartbeat before the stream pauses to the holding slate (streaming.operators):
    # 10 to 300, never off (a virtual anchor must be driven by a present real person).
    presence_timeout_s = models.PositiveSmallIntegerField(default=PRESENCE_TIMEOUT_DEFAULT_S)
    # The host's voice (docs/voice.md): {"tts_backend", "voice", "voice_rate", "voice_pitch"} as
    # render.voices.clean_voice stores it; empty = the platform's default voice. The AI disclosure is spoken in it too.
    voice = models.JSONField(default=dict, blank=True)
    # Strategy tiers by viewer count (interaction/tone.py); None = the platform's default (settings.STRATEGY_*).
    few_viewers_below = models.PositiveIntegerField(null=True, blank=True)
    crowd_from = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-starts_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["organisation", "state"]), models.Index(fields=["avatar", "state"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(stops_at__gt=models.F("starts_at")), name="stream_stops_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    presence_timeout_s__gte=PRESENCE_TIMEOUT_MIN_S, presence_timeout_s__lte=PRESENCE_TIMEOUT_MAX_S
                ),
                name="stream_presence_timeout_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"stream {self.public_id} ({self.state})"

    @property
    def subject(self) -> str:
        return f"stream:{self.public_id}"


class StreamLease(models.Model):
    """Which render worker owns a live stream, until when, and what it needs to hand the stream on.

    Claimed with one conditional UPDATE (free, or expired by the DATABASE's clock, so a worker with a skewed clock
    can neither steal a live lease nor keep a dead one), renewed after every segment; a new `token` per claim, and
    every renewal and publication names it, so a worker that lost its lease finds out at its next segment and
    stops. `blocks` is every block the runner planned (the script lines and the sequence they were appended at): a
    worker that takes over re-plans them and renders the very segments the dead one would have (render.engine.stream
    plans are deterministic). `timeline_s` is where the RTMP output's timeline stood, so the push continues
    monotonic across the takeover."""

    stream = models.OneToOneField(Stream, on_delete=models.PROTECT, primary_key=True, related_name="lease")
    job = models.OneToOneField(
        "render.RenderJob", null=True, blank=True, on_delete=models.PROTECT, related_name="stream_lease"
    )
    holder = models.CharField(max_length=200, blank=True)
    token = models.UUIDField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    claims = models.PositiveIntegerField(default=0)
    blocks = models.JSONField(default=list, blank=True)
    # Where the playlist stands: {"loop": n, "entry": i} of the next block to plan.
    cursor = models.JSONField(default=dict, blank=True)
    timeline_s = models.FloatField(default=0.0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"lease of {self.stream_id} by {self.holder or 'nobody'}"


class StreamPlaylistEntry(models.Model):
    """One approved script version at one position of a stream's looping playlist. The entry pins the version: a
    newer (unapproved) version of the same script changes nothing of what airs."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="playlist")
    position = models.PositiveIntegerField()
    version = models.ForeignKey(ScriptVersion, on_delete=models.PROTECT, related_name="stream_entries")

    class Meta:
        ordering: ClassVar = ["stream", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["stream", "position"], name="one_playlist_entry_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.stream_id}#{self.position}: {self.version_id}"


class LinterRuleVersion(models.Model):
    """A version of the linter's word lists, recorded (and ledgered as `linter.rules_changed`) the first time a script
    version is linted under it: compliance staff extend the lists as data, and the ledger shows when each list took
    effect and which files made it (streaming/linter_versions.py)."""

    version = models.CharField(max_length=64, unique=True)
    files = models.JSONField(default=dict)  # {file name: SHA-256 of its bytes}
    entries = models.PositiveIntegerField(default=0)
    first_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["first_used_at", "pk"]

    def __str__(self) -> str:
        return f"linter rules {self.version[:12]}"


# The human operator (streaming.operators, streaming.operator_control) ------------------------------------------


class OperatorHeartbeat(models.Model):
    """The latest heartbeat of one operator's console on one stream (one row per pair, updated in place: the
    ledger records arrivals and presence gaps, not every beat)."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="heartbeats")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_seen_at = models.DateTimeField(default=timezone.now)  # start of the current unbroken presence
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["stream", "operator"], name="one_heartbeat_row_per_stream_operator"),
        ]
        indexes: ClassVar = [models.Index(fields=["stream", "-last_seen_at"], name="heartbeat_stream_latest_idx")]

    def __str__(self) -> str:
        return f"heartbeat {self.stream_id}/{self.operator_id} at {self.last_seen_at:%H:%M:%S}"


class StreamPresence(models.Model):
    """Whether the stream is in a presence gap now: `absent_since` is set (once, by a conditional UPDATE, so two
    runner processes ledger one gap) when no operator's heartbeat is within the timeout, and cleared when one
    returns. `absence_paused_at` is the `Stream.updated_at` of a pause the platform made for absence: an operator's
    return undoes that pause only while it is still the stream's latest move (never an operator's own pause)."""

    stream = models.OneToOneField(Stream, on_delete=models.CASCADE, related_name="presence")
    absent_since = models.DateTimeField(null=True, blank=True)
    absence_paused_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"presence of {self.stream_id}: {'absent' if self.absent_since else 'present'}"


class Interjection(models.Model):
    """A line an operator typed for the avatar to say. Linted before acceptance: a refused one is kept (nothing
    stored is lost) with its findings; an accepted one waits for the runner, which marks it spoken."""

    class State(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        SPOKEN = "spoken", _("Spoken")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="interjections")
    text = models.CharField(max_length=500)
    language = models.CharField(max_length=8)
    # True: cut in at once with a natural cut-in; False: at the next sentence boundary.
    at_once = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices)
    findings = models.JSONField(default=list, blank=True)
    rules_version = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    spoken_at = models.DateTimeField(null=True, blank=True)
    spoken_sequence = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        indexes: ClassVar = [models.Index(fields=["stream", "state", "created_at"], name="interjection_pending_idx")]

    def __str__(self) -> str:
        return f"interjection {self.public_id} ({self.state})"


class Takeover(models.Model):
    """An operator took the stream over: the holding slate airs from `started_at` until someone hands back. At most
    one open take-over per stream (a partial unique constraint)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="takeovers")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["started_at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["stream"], condition=models.Q(ended_at__isnull=True), name="one_open_takeover_per_stream"
            ),
        ]

    def __str__(self) -> str:
        return f"take-over {self.public_id} of {self.stream_id}"


class OnAirLine(models.Model):
    """Where the runner is in the playlist: the index of the line it speaks now and the one it speaks next, in the
    flattened playlist of streaming.console_selectors.playlist_lines (reported by the runner through
    streaming.operator_control.record_line_position; the console reads it)."""

    stream = models.OneToOneField(Stream, on_delete=models.CASCADE, related_name="on_air_line")
    index = models.PositiveIntegerField()
    next_index = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"line {self.index} of {self.stream_id}"


class LiveUsageSegment(models.Model):
    """One published live segment metered against its consent grant (streaming/metering.py). Unique per (stream,
    sequence): a worker that takes a stream over and publishes a segment again is not counted twice. The grant,
    brand and local day are copied at the time of recording, so a later change of the stream cannot move usage."""

    stream = models.ForeignKey(Stream, on_delete=models.PROTECT, related_name="usage_segments")
    sequence = models.PositiveIntegerField()
    grant = models.ForeignKey("consent.ConsentGrant", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    milliseconds = models.PositiveIntegerField()
    script_version = models.ForeignKey(ScriptVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["stream", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["stream", "sequence"], name="live_usage_one_row_per_segment"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["grant", "organisation", "day"], name="live_usage_segment_day_idx"),
        ]

    def __str__(self) -> str:
        return f"usage {self.stream_id}#{self.sequence}: {self.milliseconds} ms"


class LiveUsageDay(models.Model):
    """The running total of one grant's live use by one brand on one local day: what `live_seconds_left` reads in
    one indexed query once per segment, and what invoices and the influencer's usage page read."""

    grant = models.ForeignKey("consent.ConsentGrant", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    milliseconds = models.PositiveBigIntegerField(default=0)
    segments = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["day", "grant", "organisation"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["grant", "organisation", "day"], name="live_usage_one_row_per_day"),
        ]

    def __str__(self) -> str:
        return f"usage {self.grant_id}/{self.organisation_id} {self.day}: {self.milliseconds} ms"

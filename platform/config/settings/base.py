"""Settings shared by every environment. Everything that differs per deployment comes from the environment
(see docs/configuration.md, the one list of variables), read through the typed helpers in `env.py`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from .env import database_config, env_bool, env_int, env_list, env_path, env_secret, env_str, env_url

# platform/config/settings/base.py -> repository root
BASE_DIR = Path(__file__).resolve().parents[3]
PLATFORM_DIR = BASE_DIR / "platform"

# CORE
# ------------------------------------------------------------------------------
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Third party
    "rest_framework",
    "axes",
    "drf_spectacular",
    # Veracast: cross-cutting apps under platform/
    "accounts",
    "audit",
    "portal",
    # Veracast: domain apps at the top level
    "consent",
    "render",
    "streaming",
    "compliance",
    "interaction",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's documented order): picks the language from the cookie the
    # switcher sets, else the browser's Accept-Language, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.middleware.MalformedJSONMiddleware",
    "common.middleware.NulByteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    # Last, so that it turns a lock-out flagged anywhere in the request into the lock-out answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGES for the language switcher, as settings list them (each language in its own name).
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# DATA
# ------------------------------------------------------------------------------
# VERACAST_DATA_DIR holds media, rendered segments, exports and (in development) keys. SQLite is the embedded
# default for the demo only; production and the test suite use PostgreSQL via DATABASE_URL.
DATA_DIR = env_path("VERACAST_DATA_DIR", BASE_DIR / "var")
DATABASES = {"default": database_config("DATABASE_URL", f"sqlite:///{DATA_DIR / 'veracast.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss", "")) if env_str("REDIS_URL", "") else ""

MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_URL = "/static/"

# S3-compatible storage is used for media, segments and exports when a bucket is configured; local disk otherwise.
S3_BUCKET = env_str("VERACAST_S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("VERACAST_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("VERACAST_S3_REGION", "") or None,
            "access_key": env_secret("VERACAST_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_secret("VERACAST_S3_SECRET_ACCESS_KEY", "") or None,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
# Files stored on local disk (vault ciphertext, segments, exports) are owner-only; see common/files.py.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": _default_storage,
    # Static files are public (and may be served by another process): they keep the usual modes.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}

# KEYS
# ------------------------------------------------------------------------------
# Development keys are made by `manage.py init_keys` under var/keys/ (never committed). Production points these
# at mounted files. The ledger's checkpoint signing key is Ed25519; its key id is derived from the public key.
KEYS_DIR = env_path("VERACAST_KEYS_DIR", DATA_DIR / "keys")
LEDGER_SIGNING_KEY_PATH = env_path("VERACAST_LEDGER_SIGNING_KEY", KEYS_DIR / "ledger-ed25519.pem")
LEDGER_PUBLIC_KEYS_DIR = env_path("VERACAST_LEDGER_PUBLIC_KEYS_DIR", KEYS_DIR / "ledger-public")
C2PA_CERT_CHAIN_PATH = env_path("VERACAST_C2PA_CERT_CHAIN", KEYS_DIR / "c2pa-chain.pem")
C2PA_SIGNING_KEY_PATH = env_path("VERACAST_C2PA_SIGNING_KEY", KEYS_DIR / "c2pa-signer.key")
C2PA_TRUST_ANCHOR_PATH = env_path("VERACAST_C2PA_TRUST_ANCHOR", KEYS_DIR / "c2pa-root.pem")
# The invisible watermark's key (32 random bytes as 64 hex digits); detectors need the same file.
WATERMARK_KEY_PATH = env_path("VERACAST_WATERMARK_KEY_FILE", KEYS_DIR / "watermark.key")
# Where `init_keys` writes the development vault master key; VERACAST_VAULT_MASTER_KEY(_FILE) wins when set.
VAULT_MASTER_KEY_PATH = env_path("VERACAST_VAULT_MASTER_KEY_PATH", KEYS_DIR / "vault-master.key")
# Keyed hash for ID document numbers: the platform never stores them in clear.
ID_HASH_KEY = env_secret("VERACAST_ID_HASH_KEY")
# A second, separate secret: stored numbers are scrypt(HMAC) under this pepper, so one leaked key is not enough.
ID_NUMBER_PEPPER = env_secret("VERACAST_ID_NUMBER_PEPPER")
if ID_NUMBER_PEPPER == ID_HASH_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("VERACAST_ID_NUMBER_PEPPER must differ from VERACAST_ID_HASH_KEY.")
# scrypt cost of ID number digests: memory 128*r*n bytes (default 32 MiB) per guess; never below n=2**14, r=8.
ID_NUMBER_SCRYPT_N = env_int("VERACAST_ID_NUMBER_SCRYPT_N", 2**15, minimum=2**14)
ID_NUMBER_SCRYPT_R = env_int("VERACAST_ID_NUMBER_SCRYPT_R", 8, minimum=8)
ID_NUMBER_SCRYPT_P = env_int("VERACAST_ID_NUMBER_SCRYPT_P", 1, minimum=1, maximum=16)
if ID_NUMBER_SCRYPT_N & (ID_NUMBER_SCRYPT_N - 1):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("VERACAST_ID_NUMBER_SCRYPT_N must be a power of two.")

# ACCOUNTS
# ------------------------------------------------------------------------------
# Days an invitation to join an organisation stays open; after that the invitee needs a new one.
INVITATION_TTL_DAYS = env_int("VERACAST_INVITATION_TTL_DAYS", 7, minimum=1, maximum=90)
# Where people reach the portal: links in e-mails (invitations) start with it.
PUBLIC_URL = env_url("VERACAST_PUBLIC_URL", "http://localhost:8000", schemes=("http", "https"))

# CATALOG
# ------------------------------------------------------------------------------
# A catalog CSV import is refused past these limits (rows counted while reading, so a huge file stops early).
CATALOG_IMPORT_MAX_ROWS = env_int("VERACAST_CATALOG_IMPORT_MAX_ROWS", 10_000, minimum=1, maximum=1_000_000)
CATALOG_IMPORT_MAX_BYTES = env_int("VERACAST_CATALOG_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# Largest product image (and price-evidence file) accepted, in bytes.
CATALOG_IMAGE_MAX_BYTES = env_int("VERACAST_CATALOG_IMAGE_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

# SCRIPT GENERATION
# ------------------------------------------------------------------------------
# The optional LLM backend (OpenAI-compatible chat completions, docs/scripts.md): off while the URL is empty, and
# the built-in template generator is then the only one. The API key is read from a file when a backend is built, so
# it is never in settings or the environment of every process, and a rotated key needs no restart.
LLM_URL = env_url("VERACAST_LLM_URL", "", schemes=("http", "https")) if env_str("VERACAST_LLM_URL", "") else ""
LLM_MODEL = env_str("VERACAST_LLM_MODEL", "")
LLM_API_KEY_FILE = env_str("VERACAST_LLM_API_KEY_FILE", "")
_llm_timeout = env_str("VERACAST_LLM_TIMEOUT_S", "20")
try:
    LLM_TIMEOUT_S = float(_llm_timeout)
except ValueError:
    LLM_TIMEOUT_S = -1.0
if not 0 < LLM_TIMEOUT_S <= 600:  # also refuses nan and inf
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"Unexpected value VERACAST_LLM_TIMEOUT_S={_llm_timeout!r}: seconds, above 0, at most 600."
    )
if LLM_URL and not LLM_MODEL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("VERACAST_LLM_URL is set but VERACAST_LLM_MODEL is not: name the model to ask.")
if LLM_API_KEY_FILE and not Path(LLM_API_KEY_FILE).is_file():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"VERACAST_LLM_API_KEY_FILE={LLM_API_KEY_FILE!r} is not a readable file.")

# VOICE
# ------------------------------------------------------------------------------
# The voice a render, short video or live stream speaks when the brand chose none (docs/voice.md): the neural voice
# (Kokoro) by default, which Whisper understands three times better than espeak-ng in Mandarin and five times in
# English; espeak-ng where VERACAST_TTS_DEFAULT_BACKEND says so (or, logged, where Kokoro's packages are missing).
# The choice is stored on each job when it is made, so changing this never changes a stream already running.
TTS_DEFAULT_BACKEND = env_str("VERACAST_TTS_DEFAULT_BACKEND", "kokoro")
if TTS_DEFAULT_BACKEND not in ("kokoro", "espeak"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"VERACAST_TTS_DEFAULT_BACKEND must be 'kokoro' or 'espeak', not {TTS_DEFAULT_BACKEND!r}."
    )

# VOICE CLONE
# ------------------------------------------------------------------------------
# The optional voice-clone server (OpenAI-compatible /v1/audio/speech plus the reference upload of docs/voice.md):
# off while the URL is empty. The key is a secret (VERACAST_VOICE_CLONE_API_KEY or ..._FILE). The influencer's
# reference audio goes to this origin only; render/voice_clone.py refuses private hosts unless allowed (prod.py).
VOICE_CLONE_URL = (
    env_url("VERACAST_VOICE_CLONE_URL", "", schemes=("http", "https"))
    if env_str("VERACAST_VOICE_CLONE_URL", "")
    else ""
)
VOICE_CLONE_MODEL = env_str("VERACAST_VOICE_CLONE_MODEL", "")
VOICE_CLONE_API_KEY = env_secret("VERACAST_VOICE_CLONE_API_KEY", "")
VOICE_CLONE_TIMEOUT_S = env_int("VERACAST_VOICE_CLONE_TIMEOUT_S", 30, minimum=1)
VOICE_CLONE_ALLOW_PRIVATE = env_bool("VERACAST_VOICE_CLONE_ALLOW_PRIVATE", True)
if VOICE_CLONE_URL and not VOICE_CLONE_MODEL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("VERACAST_VOICE_CLONE_URL is set but VERACAST_VOICE_CLONE_MODEL is not.")

# STREAMS
# ------------------------------------------------------------------------------
# RTMP ingest URLs may name private, loopback or link-local hosts (a local nginx-rtmp in development and tests);
# production refuses them (SSRF: a stream must not push into the platform's own network). prod.py defaults it off.
RTMP_ALLOW_PRIVATE = env_bool("VERACAST_RTMP_ALLOW_PRIVATE", True)
# The AES-256-GCM key that seals stream keys at rest (32 bytes, 64 hex digits or base64). Without it the key file
# below is used; outside production a missing file is created with a fresh random key (prod.py turns that off).
STREAM_KEY_ENCRYPTION_KEY = env_secret("VERACAST_STREAM_KEY_ENCRYPTION_KEY", "")
STREAM_KEY_ENCRYPTION_KEY_PATH = env_path("VERACAST_STREAM_KEY_ENCRYPTION_KEY_PATH", KEYS_DIR / "stream-keys.key")
STREAM_KEY_AUTOCREATE = env_bool("VERACAST_STREAM_KEY_AUTOCREATE", True)
# The live runner (docs/live-runner.md). A lease not renewed for LIVE_LEASE_SECONDS is free for another worker; the
# watchdog looks for such streams every LIVE_WATCHDOG_SECONDS, so a dead worker's stream continues within about
# lease + watchdog + start-up (the issue asks for 10 s).
LIVE_LEASE_SECONDS = env_int("VERACAST_LIVE_LEASE_SECONDS", 5, minimum=2, maximum=120)
LIVE_WATCHDOG_SECONDS = env_int("VERACAST_LIVE_WATCHDOG_SECONDS", 2, minimum=1, maximum=60)
# Segments rendered ahead of the wall clock (each is 2 s): more absorbs render jitter, less keeps the output closer
# to what the runner decides now (a revocation cuts the queued ones anyway).
LIVE_LOOKAHEAD_SEGMENTS = env_int("VERACAST_LIVE_LOOKAHEAD_SEGMENTS", 1, minimum=0, maximum=5)
# The runner renders, encodes and sends a segment LIVE_PART_FRAMES frames at a time (0: whole segments, paced by
# LIVE_LOOKAHEAD_SEGMENTS), each part LIVE_AHEAD_MS before it is due on air: an "at once" line cuts in at the next
# part not rendered yet, about that long after it is sent. The ahead must cover a plan append (the TTS of a line,
# ~0.5 s on a 2-core CPU) plus the pusher's 0.5 s send-ahead, or the viewer sees a short freeze.
LIVE_PART_FRAMES = env_int("VERACAST_LIVE_PART_FRAMES", 6, minimum=0, maximum=60)
LIVE_AHEAD_MS = env_int("VERACAST_LIVE_AHEAD_MS", 1200, minimum=600, maximum=10_000)
# The RTMP push gives up (and the stream fails) after this many failed reconnects or seconds of one outage.
LIVE_RTMP_MAX_ATTEMPTS = env_int("VERACAST_LIVE_RTMP_MAX_ATTEMPTS", 10, minimum=1, maximum=1000)
LIVE_RTMP_GIVE_UP_SECONDS = env_int("VERACAST_LIVE_RTMP_GIVE_UP_SECONDS", 120, minimum=1, maximum=3600)
# Segments in the live (preview) playlist's sliding window; the archive playlist lists them all.
LIVE_PREVIEW_WINDOW_SEGMENTS = env_int("VERACAST_LIVE_PREVIEW_WINDOW_SEGMENTS", 6, minimum=3, maximum=60)
# A viewer's answer that would reach the air more than this long after it was queued (the host's planned speech
# and the answers before it) is not spoken: it goes back to the operator's feed as expired. A reply a minute late
# answers a question the room has moved on from, and an unbounded queue of answers would crowd out the script.
LIVE_ANSWER_MAX_WAIT_SECONDS = env_int("VERACAST_LIVE_ANSWER_MAX_WAIT_SECONDS", 30, minimum=5, maximum=600)
# A live runner task runs as long as its stream: far past the general task time limit.
LIVE_TASK_TIME_LIMIT = env_int("VERACAST_LIVE_TASK_TIME_LIMIT", 7 * 24 * 3600, minimum=60)

# LIVE INTERACTION (docs/live-interaction.md)
# ------------------------------------------------------------------------------
# Comments a stream's webhook accepts per second, and one viewer (hashed author id) per minute; beyond them the
# webhook answers 429 with Retry-After and stores nothing of that request (what it accepted is never dropped).
INTERACTION_STREAM_RATE_PER_SECOND = env_int("VERACAST_INTERACTION_STREAM_RATE_PER_SECOND", 200, minimum=1)
INTERACTION_AUTHOR_RATE_PER_MINUTE = env_int("VERACAST_INTERACTION_AUTHOR_RATE_PER_MINUTE", 20, minimum=1)
# Calibrated confidence at or above which an FAQ answer is spoken without the operator (percent, 50-99).
INTERACTION_ANSWER_CONFIDENCE_PERCENT = env_int(
    "VERACAST_INTERACTION_ANSWER_CONFIDENCE_PERCENT", 80, minimum=50, maximum=99
)

# HOST TONE AND STRATEGY (interaction/tone.py, docs/live-interaction.md "Tone and strategy")
# ------------------------------------------------------------------------------
# Rates are averaged over TONE_WINDOW_SECONDS; a tone or tier is held at least TONE_DWELL_SECONDS. Calm enters at
# CALM_ENTER suppressed comments per minute and is left at CALM_EXIT or fewer; upbeat likewise on orders per minute.
TONE_WINDOW_SECONDS = env_int("VERACAST_TONE_WINDOW_SECONDS", 120, minimum=10, maximum=3600)
TONE_DWELL_SECONDS = env_int("VERACAST_TONE_DWELL_SECONDS", 90, minimum=0, maximum=3600)
TONE_CALM_ENTER_ABUSE_PER_MINUTE = env_int("VERACAST_TONE_CALM_ENTER_ABUSE_PER_MINUTE", 3, minimum=1)
TONE_CALM_EXIT_ABUSE_PER_MINUTE = env_int("VERACAST_TONE_CALM_EXIT_ABUSE_PER_MINUTE", 1, minimum=0)
TONE_UPBEAT_ENTER_ORDERS_PER_MINUTE = env_int("VERACAST_TONE_UPBEAT_ENTER_ORDERS_PER_MINUTE", 10, minimum=1)
TONE_UPBEAT_EXIT_ORDERS_PER_MINUTE = env_int("VERACAST_TONE_UPBEAT_EXIT_ORDERS_PER_MINUTE", 4, minimum=0)
# Strategy tiers by viewer count, unless the stream sets its own: under FEW_BELOW few viewers, CROWD_FROM a crowd.
STRATEGY_FEW_VIEWERS_BELOW = env_int("VERACAST_STRATEGY_FEW_VIEWERS_BELOW", 50, minimum=1)
STRATEGY_CROWD_FROM = env_int("VERACAST_STRATEGY_CROWD_FROM", 500, minimum=2)

# CONSENT
# ------------------------------------------------------------------------------
# Master key of the biometric vault (32 bytes, hex or base64): it wraps each influencer's data key. Without it,
# uploads of samples and statements are refused with 503 `vault_unavailable`.
VAULT_MASTER_KEY = env_secret("VERACAST_VAULT_MASTER_KEY", "")
# WebAuthn relying party. Empty means "derive from the request's host", acceptable in development only.
WEBAUTHN_RP_ID = env_str("VERACAST_WEBAUTHN_RP_ID", "")
WEBAUTHN_ORIGINS = env_list("VERACAST_WEBAUTHN_ORIGINS", [])
CONSENT_STATEMENT_MAX_BYTES = env_int("VERACAST_CONSENT_STATEMENT_MAX_BYTES", 64 * 1024 * 1024, minimum=1_048_576)
CONSENT_SAMPLE_MAX_BYTES = env_int("VERACAST_CONSENT_SAMPLE_MAX_BYTES", 512 * 1024 * 1024, minimum=1_048_576)
CONSENT_SAMPLE_UPLOAD_MAX_BYTES = env_int(
    "VERACAST_CONSENT_SAMPLE_UPLOAD_MAX_BYTES", 1024 * 1024 * 1024, minimum=1_048_576
)
# Where models shipped split across packages are joined once (the Whisper base model that hears the statement code).
MODEL_CACHE_DIR = env_path("VERACAST_MODEL_CACHE_DIR", DATA_DIR / "models")
# How many liveness actions a statement challenge asks for (at least 3).
CONSENT_LIVENESS_ACTIONS = env_int("VERACAST_CONSENT_LIVENESS_ACTIONS", 3, minimum=3, maximum=8)

# RENDER
# ------------------------------------------------------------------------------
# A user-supplied Wav2Lip-style ONNX model enables the `onnx` lip-sync engine; `viseme-warp` needs no model.
RENDER_ONNX_MODEL_PATH = env_str("VERACAST_RENDER_ONNX_MODEL", "")
RENDER_DEVICE = env_str("VERACAST_RENDER_DEVICE", "auto")
if RENDER_DEVICE != "auto" and RENDER_DEVICE != "cpu" and not RENDER_DEVICE.startswith("cuda"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"Unexpected value VERACAST_RENDER_DEVICE={RENDER_DEVICE!r}: use auto, cpu or cuda[:n].")
# GB 45438 Annex E ContentProducer written into every segment's AIGC metadata.
RENDER_CONTENT_PRODUCER = env_str("VERACAST_RENDER_CONTENT_PRODUCER", "Veracast")

# PUBLIC CLIP CHECK
# ------------------------------------------------------------------------------
# /check/ and POST /api/v1/check-clip (no login): largest upload, checks per client IP per window, and the limits of
# the child process that decodes the clip (render/clip_check.py, docs/clip-check.md).
CLIP_CHECK_MAX_BYTES = env_int("VERACAST_CLIP_CHECK_MAX_BYTES", 50 * 1024 * 1024, minimum=1_048_576)
CLIP_CHECK_RATE_LIMIT = env_int("VERACAST_CLIP_CHECK_RATE_LIMIT", 20, minimum=1)
CLIP_CHECK_RATE_WINDOW_SECONDS = env_int("VERACAST_CLIP_CHECK_RATE_WINDOW_SECONDS", 3600, minimum=1)
CLIP_CHECK_TIMEOUT_SECONDS = env_int("VERACAST_CLIP_CHECK_TIMEOUT_SECONDS", 120, minimum=5)
CLIP_CHECK_MAX_FRAMES = env_int("VERACAST_CLIP_CHECK_MAX_FRAMES", 1500, minimum=25)
CLIP_CHECK_MEMORY_BYTES = env_int("VERACAST_CLIP_CHECK_MEMORY_BYTES", 4 * 1024**3, minimum=256 * 1024**2)

# AUTH
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# django-axes checks first: a locked-out account or IP is refused before any password is compared.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Failed logins are counted per account (the e-mail) and, separately, per client IP (see accounts/lockout.py).
# Reaching the limit blocks that account or IP, right password included, for the cool-off after the last failure.
AXES_FAILURE_LIMIT = env_int("VERACAST_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("VERACAST_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Attempts live in the database (reset with each test database, shared by every web process); successful logins
# are not logged: the attempt table is the only login record and it empties itself after the cool-off.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_SENSITIVE_PARAMETERS = ["password"]
# API tokens (accounts.tokens) stop working this long after login; people list and revoke them on their account.
API_TOKEN_TTL = timedelta(hours=env_int("VERACAST_API_TOKEN_TTL_HOURS", 24 * 7, minimum=1, maximum=24 * 365))
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: trust only REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("VERACAST_TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# I18N
# ------------------------------------------------------------------------------
# English is the fallback: a browser asking for a language not listed here (e.g. fr) gets English, and a msgid
# without a zh-Hans translation shows its English text. zh-CN, zh-SG and plain zh all map to zh-hans (Django's
# LANG_INFO fallbacks). One catalog tree for the whole project, at the repository root (docs/i18n.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice (Django's set_language view) is remembered for a year, for the portal's pages only.
LANGUAGE_COOKIE_NAME = "veracast_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates in the reader's language: "7 Dec 2026, 14:30" in English, "2026年12月7日 14:30" in Chinese (docs/i18n.md).
FORMAT_MODULE_PATH = ["portal.formats"]

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Request bodies above this are refused with 413 before any view sees them (uploads of samples get their own limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("VERACAST_MAX_BODY_BYTES", 1_048_576, minimum=1024)

# REST FRAMEWORK
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.tokens.HashedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["common.safejson.SafeJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "common.schema.VeracastAutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "common.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Veracast API",
    "DESCRIPTION": "Consent-gated, labeled and audited AI livestream hosts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set that several serializers share.
    "ENUM_NAME_OVERRIDES": {
        "ConsentPurposeEnum": "consent.scope.PURPOSES",
        "ConsentPlatformEnum": "consent.scope.PLATFORMS",
        "AvatarStatusEnum": "render.models.Avatar.Status",
        "RenderJobStatusEnum": "render.models.RenderJob.Status",
        "ProductCategoryEnum": "streaming.categories.CODES",
        "FaqLanguageEnum": "streaming.models.FaqEntry.Language",
        "LineLanguageEnum": "render.engine.options.LINE_LANGUAGES",
        "StreamPlatformEnum": "streaming.stream_api.PLATFORMS",
        "StreamResolutionEnum": "streaming.stream_api.RESOLUTION_CHOICES",
    },
}

# CELERY
# ------------------------------------------------------------------------------
# With REDIS_URL set, tasks go to real `celery worker` processes. Without it (the embedded demo default) tasks run
# in-process, eagerly, after the transaction that sent them commits.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("VERACAST_INPROCESS_WORKER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "render.tasks.*": {"queue": "render"},
    "streaming.tasks.run_live_stream_task": {"queue": "render"},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("VERACAST_TASK_TIME_LIMIT", 30 * 60, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30 if CELERY_TASK_TIME_LIMIT > 60 else None
CELERY_BEAT_SCHEDULE = {
    "ledger-checkpoint": {
        "task": "audit.tasks.create_checkpoint_task",
        "schedule": env_int("VERACAST_CHECKPOINT_INTERVAL_SECONDS", 300, minimum=5),
    },
    "consent-expiry": {"task": "consent.tasks.expire_consents_task", "schedule": 60},
    # A live stream whose runner's lease lapsed (the worker died) is queued again (streaming/runner/watchdog.py).
    "live-runner-watchdog": {"task": "streaming.tasks.watch_live_streams_task", "schedule": LIVE_WATCHDOG_SECONDS},
    # Unsigned drafts lapse after 24 h; every 10 minutes is soon enough (reads also expire them lazily).
    "consent-draft-expiry": {"task": "consent.tasks.expire_drafts_task", "schedule": 600},
    # A chunked sample upload left open lapses after 24 h; its sealed parts are deleted then, not only when she
    # comes back (consent/sample_uploads.py).
    "sample-upload-expiry": {"task": "consent.tasks.expire_sample_uploads_task", "schedule": 600},
    # Recordings past their retention class are deleted daily (legal holds block it; docs/retention.md).
    "retention-purge": {"task": "compliance.tasks.purge_expired_recordings_task", "schedule": 24 * 3600},
    # Expired API tokens already log nobody in; hourly deletion keeps the table from growing with every login.
    "api-token-purge": {"task": "accounts.tasks.purge_expired_api_tokens_task", "schedule": 3600},
}

# COMPLIANCE
# ------------------------------------------------------------------------------
# Avatars and renders of a brand need its approved personal-information impact assessment (PIPL Arts. 55-56,
# rules.md CN-PIPL-PIA-3Y). Off only where a test or a local experiment says so explicitly.
COMPLIANCE_REQUIRE_PIA = env_bool("VERACAST_REQUIRE_PIA", True)

# CACHE
# ------------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# LOGGING
# ------------------------------------------------------------------------------
LOG_LEVEL = env_str("VERACAST_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"Unexpected value VERACAST_LOG_LEVEL={LOG_LEVEL!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Swagger UI and Redoc are served from the sidecar package: nothing is loaded from a CDN.
INSTALLED_APPS.append("drf_spectacular_sidecar")
SPECTACULAR_SETTINGS.update(
    {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
)

"""Settings for phatngon, read from the environment only (django-environ).

Every variable is listed in the README. A bad or missing value raises
ImproperlyConfigured with a message that says what to set.
"""

import ipaddress
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    SECURE_SSL_REDIRECT=(bool, True),
    SECURE_HSTS_SECONDS=(int, 31536000),
    EMAIL_TIMEOUT=(int, 10),
    DEFAULT_FROM_EMAIL=(str, "phatngon <no-reply@phatngon.local>"),
    PORT=(int, 8000),
    TSA_URL=(str, ""),
)

# Runtime state (SQLite database, broker folders, dev PKI, generated secret) lives in var/.
VAR_DIR = Path(env.str("PHATNGON_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env("DEBUG")


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (a long random string) when DEBUG=false; "
            "only the demo (DEBUG=true) generates one into var/secret_key."
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
# Links in e-mails and the QR code on issued PDFs. Unset, it follows PORT (the port the demo
# serves, bin/demo-serve), so that `PORT=8100 make demo` prints links that reach it.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env('PORT')}").rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin with a site that puts every admin change on the ledger.
    "audit.admin_apps.LedgeredAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "csp",
    # Exactly "guardian", not "guardian.apps.GuardianConfig": viewflow's task queues
    # otherwise ignore object permissions (VIEWFLOW-NOTES.md).
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "core",
    "audit",
    "outbox",
    "roles",
    "release",
    "workflows",
    "reports",
    "rest_framework",
    # API tokens: only a digest is stored (api.ApiToken, a knox token model).
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # Failed-login counting and lockout (LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES).
    "axes",
]

MIDDLEWARE = [
    # First: the request id (X-Request-ID) is bound for every log line below, and the time
    # measured covers the whole stack (core.requestid, core.metrics).
    "core.requestid.RequestIdMiddleware",
    "core.metrics.MetricsMiddleware",
    # Anonymous newsroom pages kept in the cache are answered here, before the rest.
    "release.newsroom.caching.NewsroomCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (django-csp); the policy is below.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Binds the client's address and User-Agent for the ledger (audit.context): services do
    # not pass the request around.
    "audit.context.AuditContextMiddleware",
    # Anonymous users are sent to the login page instead of getting viewflow's bare 403;
    # public pages are marked with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workflows.middleware.ViewflowPermissionCacheMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    # Last: turns a login refused by the lockout into our own 429 page or API error.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.persona",
                "config.context_processors.notifications",
            ],
        },
    },
]

# Database: PostgreSQL in production, SQLite in var/ as the embedded default.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: two writers queue on the database lock instead of failing with
    # "database is locked" halfway through a transaction (VIEWFLOW-NOTES.md, Locks).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A persistent connection is checked before each request reuses it: after a database
    # restart the next request reconnects instead of failing.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: per-process memory by default; Redis in production (API throttles, verification cache).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis away or frozen: throttles and cached fragments fail open (logged), never a 500.
    CACHES["default"]["BACKEND"] = "core.cache.ResilientRedisCache"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"


# Client addresses (core.http.client_ip): X-Forwarded-For is believed only from these reverse
# proxies, given as addresses or networks ("127.0.0.1,10.0.0.0/8"); empty trusts nobody.
def _networks(name: str, default: list[str], example: str) -> list[str]:
    """A comma-separated list of addresses or networks (CIDR), each checked at start-up."""
    values = env.list(name, default=default)
    for value in values:
        try:
            ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {value!r} is neither an IP address nor a network (CIDR); "
                f"set a comma-separated list such as {example}."
            ) from None
    return values


TRUSTED_PROXIES = _networks("TRUSTED_PROXIES", [], "127.0.0.1,10.0.0.0/8")

# Login limits (django-axes), web and API alike: after LOGIN_FAILURE_LIMIT failures for one
# username, or LOGIN_ADDRESS_FAILURE_LIMIT from one address (higher: an office shares one
# address, and one person's typos must not lock out colleagues), further attempts are refused
# for LOGIN_LOCKOUT_MINUTES counted from the last failure; the ledger gets one event per
# username and window.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
if min(LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES) < 1:
    raise ImproperlyConfigured(
        "Set LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES to 1 or more."
    )
AXES_FAILURE_LIMIT = "roles.accounts.login_failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
# Either one locks: a username tried from many addresses, or an address trying many usernames.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "config.views.login_locked_out"
# Refused attempts do not extend the lock: it ends LOGIN_LOCKOUT_MINUTES after the last
# counted failure, so an attacker cannot keep a colleague locked out for ever by retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful logins are already in the ledger (auth.login).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Each person lands on their own start page (config.views.start): a journalist on their
# cases, staff on the workspace, an inspector on the ledger.
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

# Language and time: Vietnamese first, English through i18n; aware datetimes everywhere.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# One way of writing dates everywhere, viewflow's pages included: "19:13 ngày 30/11/2026".
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.LenientManifestStaticFilesStorage"},
}

# E-mail: console in the demo, SMTP (EMAIL_URL=smtp://user:pass@host:587/?tls=True) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env("EMAIL_TIMEOUT")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox: no request sends e-mail; a worker does, trying each mail up to OUTBOX_MAX_ATTEMPTS
# times with a backoff of OUTBOX_RETRY_SECONDS × 1, 2, 4, …; the minute sweep enqueues again a
# mail still queued OUTBOX_LOST_AFTER_SECONDS after its attempt was due (a lost task).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_LOST_AFTER_SECONDS = env.int("OUTBOX_LOST_AFTER_SECONDS", default=120)
for _name in ("OUTBOX_MAX_ATTEMPTS", "OUTBOX_RETRY_SECONDS", "OUTBOX_LOST_AFTER_SECONDS"):
    if vars()[_name] < 1:
        raise ImproperlyConfigured(f"Set {_name} to a whole number of at least 1.")

# Celery: Redis (or RabbitMQ) in production; a serverless filesystem broker by default.
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery")))
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    # Absolute folders: a relative control folder breaks `celery inspect ping`.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A broker that is away or frozen fails a send within seconds (the request carries on;
    # the minute sweeps send the work later) instead of holding a web worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# With late acknowledgement, a task whose worker process dies (kill -9, the OOM killer) goes
# back to the queue instead of being acknowledged and lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Two queues, so that signing runs on the nodes that hold the keys: "signing" (numbering,
# rendering, signing and registering documents; the ledger's sealed anchor) and "default"
# (everything else: e-mail, sweeps, reminders, exports). Every worker must consume the queues
# its machine serves: one node with `-Q default,signing`, or nodes `-Q signing` and
# `-Q default` (docs/operations.md). /healthz names a queue no worker answers.
CELERY_TASK_DEFAULT_QUEUE = "default"
WORKER_QUEUES = ("default", "signing")
CELERY_TASK_ROUTES = {
    "release.tasks.document_process_task": {"queue": "signing"},
    "audit.tasks.anchor_ledger": {"queue": "signing"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "expire-press-cards": {
        "task": "roles.tasks.press_cards_expire",
        "schedule": crontab(hour=0, minute=10),
    },
    "case-reminders": {
        "task": "workflows.tasks.reminders_sweep",
        "schedule": crontab(minute="*/15"),
    },
    "statement-reminders": {
        "task": "workflows.tasks.statement_reminders_sweep",
        "schedule": crontab(minute="*/5"),
    },
    "periodic-schedules": {
        "task": "workflows.tasks.schedules_sweep",
        "schedule": crontab(hour=7, minute=0),
    },
    # NĐ 244/2026 Art. 10: the annual report, reminded from 1 December until issued.
    "annual-report-reminders": {
        "task": "reports.tasks.annual_report_reminders_sweep",
        "schedule": crontab(hour=7, minute=5),
    },
    "sync-role-groups": {
        "task": "roles.tasks.memberships_sync_groups",
        "schedule": crontab(hour=0, minute=5),
    },
    # Outgoing e-mail whose task was lost (broker down when the change committed).
    "outbox-sweep": {
        "task": "outbox.sweep",
        "schedule": crontab(minute="*"),
    },
    # Backstop for publication distribution: public statements not yet mailed (lost eta task).
    "publications-due": {
        "task": "release.tasks.publications_due_sweep",
        "schedule": crontab(minute="*"),
    },
    # Backstop for issuing: queued documents whose message was lost (broker away at commit,
    # worker node killed) are handed over again.
    "documents-due": {
        "task": "release.tasks.documents_dispatch_due",
        "schedule": crontab(minute="*"),
    },
    # Backstop for inspection exports whose message was lost.
    "exports-pending": {
        "task": "audit.tasks.exports_pending_sweep",
        "schedule": crontab(minute="*"),
    },
    # /healthz reads the heartbeats of beat (sending these) and of each queue's workers
    # (running them): one heartbeat per queue, so that a dead signing node is named.
    **{
        f"heartbeat-{queue}": {
            "task": "core.heartbeat",
            "schedule": crontab(minute="*"),
            "args": (queue,),
            "options": {"queue": queue},
        }
        for queue in WORKER_QUEUES
    },
}
# /healthz: a heartbeat older than this (seconds) is reported stale, with a 503.
HEALTHZ_HEARTBEAT_MAX_AGE = env.int("HEALTHZ_HEARTBEAT_MAX_AGE", default=180)
# Whether /healthz requires the heartbeats (off for a web-only check of a fresh install).
HEALTHZ_HEARTBEATS = env.bool("HEALTHZ_HEARTBEATS", default=True)

# Security: strict by default; `manage.py check --deploy` prints nothing with production env.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
    # Probes from the internal network talk to gunicorn directly, over plain HTTP: Prometheus
    # (/metrics, refused through the proxy anyway) and the load balancer's /healthz.
    SECURE_REDIRECT_EXEMPT = [r"^metrics$", r"^healthz$"]
    SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp 4): everything from the site itself, no eval, no
# plugins, no framing, forms post only here. Inline <script> runs only with the per-request
# nonce (`request.csp_nonce`); our templates have none, their handlers live in static/js/.
# Style attributes (style="…") are the one inline allowance: viewflow's Material templates
# are full of them. <style> elements still need the nonce; url() in a style attribute is
# still held by img-src/font-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads above Django's default 2.5 MB go to a temporary file, not memory (M6).
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# Logs: one JSON object per line in production (LOG_FORMAT=json, the default when DEBUG is
# false), readable text in the demo. Every line carries the request id (X-Request-ID) of the
# request or of the task it started, and in a worker the task's name and id (core.requestid).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("Set LOG_FORMAT to json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s %(task_name)s %(task_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # "time": ISO 8601 in UTC, e.g. 2026-12-01T00:40:29.440000+00:00.
            "timestamp": "time",
        },
        "text": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each rendering step (and its own stylesheets at import) at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
# Workers log through LOGGING above (same format, request id) instead of Celery's own setup.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Prometheus: GET /metrics answers only these networks, asked directly (not through the
# reverse proxy); a worker node serves its task figures on CELERY_METRICS_PORT (0: off).
METRICS_ALLOWED_NETWORKS = _networks(
    "METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"], "127.0.0.1/32,10.0.0.0/8"
)
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
CELERY_METRICS_ADDRESS = env.str("CELERY_METRICS_ADDRESS", default="127.0.0.1")

# The audit ledger's anchors are signed with the agency's seal through the release engine;
# the function is injected by name (audit/ imports nothing of ours).
AUDIT_ANCHOR_SIGNER = env.str("AUDIT_ANCHOR_SIGNER", default="release.signing.sign_anchor")
TSA_URL = env("TSA_URL")

# release (signing/validation): dev PKI folder, trust roots for verification, upload limit,
# and the organisation (code) whose agency credential signs ledger anchors (default: the root).
RELEASE_PKI_DIR = Path(env.str("RELEASE_PKI_DIR", default=str(VAR_DIR / "pki")))
RELEASE_TRUST_ROOTS = env.list(
    "RELEASE_TRUST_ROOTS", default=[str(RELEASE_PKI_DIR / "root-ca.pem")]
)
RELEASE_MAX_UPLOAD_BYTES = env.int("RELEASE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# Uploads a client may have checked on the public verification page per minute (0: no limit).
RELEASE_VERIFY_UPLOADS_PER_MINUTE = env.int("RELEASE_VERIFY_UPLOADS_PER_MINUTE", default=20)
RELEASE_ANCHOR_ORGANISATION = env.str("RELEASE_ANCHOR_ORGANISATION", default="")
# The public newsroom's lists, feeds and statement pages may be reused (browsers, proxies, the
# server's cache) for this many seconds, never past the next scheduled publication.
NEWSROOM_MAX_AGE = env.int("NEWSROOM_MAX_AGE", default=60)
if NEWSROOM_MAX_AGE < 0:
    raise ImproperlyConfigured("Set NEWSROOM_MAX_AGE to a number of seconds, 0 or more.")
# Press statements are mailed to the distribution list in batches of this many e-mails per task.
RELEASE_DISTRIBUTION_BATCH = env.int("RELEASE_DISTRIBUTION_BATCH", default=50)
# Issuing that cannot be lost: a queued document is handed to the broker again after
# RELEASE_REDISPATCH_SECONDS; after RELEASE_STUCK_MINUTES it is listed in the register with
# a retry button; after RELEASE_MAX_ATTEMPTS failed attempts it is marked failed.
RELEASE_REDISPATCH_SECONDS = env.int("RELEASE_REDISPATCH_SECONDS", default=120)
RELEASE_STUCK_MINUTES = env.int("RELEASE_STUCK_MINUTES", default=10)
RELEASE_MAX_ATTEMPTS = env.int("RELEASE_MAX_ATTEMPTS", default=6)

# --- audit
# Dotted paths injected into audit/ (it imports nothing of ours); see docs/audit.md.
AUDIT_ANCHOR_VERIFIER = env.str("AUDIT_ANCHOR_VERIFIER", default="release.signing.verify_anchor")
AUDIT_ANCHOR_TIMESTAMPER = env.str(
    "AUDIT_ANCHOR_TIMESTAMPER", default="audit.anchors.tsa_timestamp"
)
AUDIT_DEV_SIGNER_DIR = VAR_DIR / "audit-dev"
AUDIT_ACCESS_POLICY = env.str("AUDIT_ACCESS_POLICY", default="roles.selectors.audit_scope")
AUDIT_BUNDLE_FILES = env.str("AUDIT_BUNDLE_FILES", default="release.selectors.audit_bundle_files")
AUDIT_ACTOR_CONTEXT = env.str("AUDIT_ACTOR_CONTEXT", default="")  # fn(user) -> (role, org code)
# `manage.py flush` erases the ledger too: allowed on the demo (DEBUG) and in tests only.
AUDIT_FLUSH_ALLOWED = env.bool("AUDIT_FLUSH_ALLOWED", default=DEBUG)
AUDIT_EVENTS_PER_PAGE = 50
CELERY_BEAT_SCHEDULE["audit-anchor-daily"] = {
    "task": "audit.tasks.anchor_ledger",
    "schedule": crontab(hour=0, minute=5),
}
CELERY_BEAT_SCHEDULE["audit-verify-daily"] = {
    "task": "audit.tasks.verify_ledger",
    "schedule": crontab(hour=0, minute=20),
}

# workflows (press cases): upload limits and per-journalist submission throttle.
CASE_MAX_UPLOAD_BYTES = env.int("CASE_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
CASE_MAX_ATTACHMENTS = env.int("CASE_MAX_ATTACHMENTS", default=10)
# All files of one submission together (portal and API; workflows.cases.uploads.submission_files_check).
CASE_MAX_SUBMISSION_BYTES = env.int("CASE_MAX_SUBMISSION_BYTES", default=20 * 1024 * 1024)
# Who besides the organisation's register readers may download an issued document.
RELEASE_DOWNLOAD_ACCESS = ["workflows.cases.selectors.may_download_document"]
# Who must not see an issued document yet: each hook takes (user, document) and returns True to
# hide it, and verification and download then treat the document as unknown (the newsroom's
# embargo: a statement before its publication time, except for its organisation's staff).
RELEASE_EMBARGO_POLICY = ["release.newsroom.embargo.embargo_hides"]

# --- api (REST API v1, docs/api.md)
# Rates are "<n>/<second|minute|hour|day>"; throttle counters live in the default cache.
API_LOGIN_RATE = env.str("API_LOGIN_RATE", default="10/minute")
API_CASE_SUBMIT_RATE = env.str("API_CASE_SUBMIT_RATE", default="20/hour")
API_ANON_RATE = env.str("API_ANON_RATE", default="120/minute")
API_USER_RATE = env.str("API_USER_RATE", default="1200/minute")
# Largest request body: JSON/form bodies, and multipart uploads (case files, PDFs to verify).
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
API_MAX_UPLOAD_REQUEST_BYTES = env.int(
    "API_MAX_UPLOAD_REQUEST_BYTES", default=RELEASE_MAX_UPLOAD_BYTES + 1024 * 1024
)


def _token_ttl_days() -> int:
    days = env.int("API_TOKEN_TTL_DAYS", default=30)
    if not 1 <= days <= 366:
        raise ImproperlyConfigured(
            "Set API_TOKEN_TTL_DAYS to a number of days between 1 and 366 (default 30)."
        )
    return days


# How long an API token from POST /api/v1/auth/token/ stays valid.
API_TOKEN_TTL_DAYS = _token_ttl_days()
KNOX_TOKEN_MODEL = "api.ApiToken"  # noqa: S105 (a model label, not a secret)
# knox's own migrations create its AuthToken table even when the model is swapped out; that
# orphan table (a foreign key to users) would block `flush` on PostgreSQL. Without migrations,
# Django creates no table for a swapped model.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",  # clients keep sending `Authorization: Token <key>`
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),  # api.services passes it explicitly too
    "AUTO_REFRESH": False,
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call then gets 401 with `WWW-Authenticate: Token`.
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 20,
    # Rates come from the API_*_RATE settings above, read at request time.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.LenientNegotiation",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "phatngon API",
    "DESCRIPTION": "REST API v1: hồ sơ báo chí, công việc, văn bản đã ký, xác thực, nhật ký.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "LICENSE": {"name": "AGPL-3.0-or-later"},
    "ENUM_NAME_OVERRIDES": {
        "TaskActionEnum": "api.serializers.tasks.ALL_ACTIONS",
        "KindEnum": "workflows.cases.models.Case.Kind",
        "StatementKindEnum": "workflows.statements.models.Statement.Kind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

"""Settings for Portal Klienta, read from the environment with safe embedded defaults.

Embedded default: SQLite (WAL), in-memory channel layer, Celery on a filesystem broker, e-mail to a
folder. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis without code changes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from backend.config import api_settings, queue_settings
from backend.config.security_settings import content_security_policy
from backend.core.env import database_from_url, env
from backend.core.safety import DEVELOPMENT_SECRET_KEY, refuse_unsafe_production

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("PORTAL_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env("DJANGO_DEBUG", False, cast=bool)
# Production switches every unsafe demo default off; backend/core/safety.py refuses to start otherwise.
PRODUCTION = env("DJANGO_PRODUCTION", False, cast=bool)
SECRET_KEY = env("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"], cast=list)
CSRF_TRUSTED_ORIGINS = env("DJANGO_CSRF_TRUSTED_ORIGINS", [], cast=list)
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI files, served locally (no CDN)
    "backend.config.apps.AxesConfig",  # axes under a Polish name in the admin (backend/config/apps.py)
    "django_otp",  # two-factor login (backend/accounts/second_factor.py): TOTP apps and recovery codes
    "backend.config.apps.OtpTotpConfig",  # django_otp.plugins.otp_totp
    "backend.config.apps.OtpStaticConfig",  # django_otp.plugins.otp_static
    "channels",
    "backend.core",
    "backend.accounts",
    "backend.clients",
    "backend.contracts",
    "backend.invoices",
    "backend.documents",
    "backend.messaging",
    "backend.requests_app",
    "workflows",
    "notifications",
    "backend.sso",
    "backend.calendar_feed",
    "backend.permits",
    "backend.drafts",
    "portal_ui",
    "backend.demo",  # manage.py seed_demo; the top layer, nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database outage answers 503 "try again" instead of 500 (backend/core/outage.py).
    "backend.core.outage.DatabaseOutageMiddleware",
    "backend.core.static_files.StaticFilesMiddleware",  # WhiteNoise, async bodies under ASGI
    # gzip for whole text responses (pages, JSON), below WhiteNoise: static files have their own copies.
    "backend.core.compression.PortalGZipMiddleware",
    # Below WhiteNoise: static files keep their caching and get no CSP; everything else gets both.
    "backend.core.cache_headers.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's CommonMiddleware, except that an unsafe method under /api/ is never redirected to the path
    # with a slash (a client re-sends a redirected POST as GET): 404 naming that path instead.
    "backend.core.trailing_slash.PortalCommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backend.core.middleware.SlidingSessionMiddleware",
    # Polish by default; ignores Accept-Language on purpose (see the module).
    "backend.accounts.middleware.PortalLocaleMiddleware",
    # A NUL in the query string or a form field: 400 before any view passes it on (backend/core/nul_input.py);
    # below the language, so the answer is in the user's.
    "backend.core.nul_input.NulInputMiddleware",
    # Staff, analysts, admins, client administrators and anyone enrolled: nothing until the second factor.
    "backend.accounts.second_factor_gate.SecondFactorGateMiddleware",
    # request.active_client / request.active_membership, membership re-checked on every request.
    "backend.clients.active.ActiveClientMiddleware",
    # Where the outbox stood before the view read the page: its live socket re-fetches only if an event
    # came since (notifications/live_cursor.py).
    "notifications.live_cursor.LiveCursorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page address that only takes a form, opened with GET: back to the form's page, never a bare 405
    # (portal_ui/post_only_pages.py); the API keeps its JSON 405.
    "portal_ui.post_only_pages.PostOnlyPageMiddleware",
    # A link to a page of another company of the user's: the offer to switch, not a bare 404/403
    # (portal_ui/other_company.py).
    "portal_ui.other_company.OtherCompanyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
# bench/bench_http.py only: count each request's SQL statements in a response header.
if env("PORTAL_SQL_COUNT_HEADER", False, cast=bool):
    MIDDLEWARE.insert(0, "backend.config.sql_count.SqlCountMiddleware")

ROOT_URLCONF = "backend.config.urls"
WSGI_APPLICATION = "backend.config.wsgi.application"
ASGI_APPLICATION = "backend.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backend.core.context_processors.portal",
                "backend.clients.context_processors.active_client",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    # Per process: the web processes, each Celery worker child and beat each hold at most this many.
    DATABASES = {
        "default": database_from_url(
            DATABASE_URL,
            pool_min_size=env("DATABASE_POOL_MIN_SIZE", 1, cast=int),
            pool_max_size=env("DATABASE_POOL_MAX_SIZE", 8, cast=int),
            pool_timeout=env("DATABASE_POOL_TIMEOUT", 10, cast=float),
        )
    }
else:
    DATABASES = {
        "default": {
            # A process's writers queue on a Python lock instead of SQLite's sleeping busy handler
            # (backend/core/sqlite_backend): at 4 clients the step's p95 went from 7x to 1.4x its median.
            # PORTAL_SQLITE_WRITE_QUEUE=0 goes back to Django's own backend.
            "ENGINE": (
                "backend.core.sqlite_backend"
                if env("PORTAL_SQLITE_WRITE_QUEUE", True, cast=bool)
                else "django.db.backends.sqlite3"
            ),
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "portal.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so
                # two writers queue instead of failing on lock upgrade.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # Keep each thread's connection: opening one (and Django's set-up of it) costs more than
            # a whole workflow step's queries.
            "CONN_MAX_AGE": None,
            # A file, not :memory:, for the test database: the live server's threads (browser tests)
            # then each get their own connection instead of sharing one across concurrent requests.
            "TEST": {"NAME": str(VAR_DIR / "test-portal.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- auth -----------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the session's user read by a prepared statement (backend/accounts/auth_backend.py).
    "backend.accounts.auth_backend.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's check with a sentence per attribute ("zbyt podobne do adresu e-mail").
    {"NAME": "backend.accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Database sessions, read with one prepared statement (backend/accounts/session_store.py).
SESSION_ENGINE = "backend.accounts.session_store"
SESSION_COOKIE_AGE = env("SESSION_COOKIE_AGE", 30 * 60, cast=int)
# Sliding expiry (30 minutes of inactivity), refreshed at most once a minute: SlidingSessionMiddleware.
SESSION_REFRESH_INTERVAL = 60
# How long before that expiry a page warns and offers to stay logged in (session_timeout.js; WCAG 2.2.1).
SESSION_TIMEOUT_WARNING_SECONDS = 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However active, a session ends this long after its login (SlidingSessionMiddleware; 12 hours).
SESSION_ABSOLUTE_AGE = env("SESSION_ABSOLUTE_AGE", 12 * 3600, cast=int)
# How long before that end a page says when it comes (it cannot be extended) and offers to log in again now.
SESSION_ABSOLUTE_WARNING_SECONDS = 5 * 60
# Reset links live one hour; activation links from the welcome e-mail keep 7 days (own token generator).
PASSWORD_RESET_TIMEOUT = 3600
ACTIVATION_TIMEOUT = 7 * 24 * 3600
# "Forgot password" e-mails per account and form posts per IP address, each per hour (audit-log backed).
PASSWORD_RESET_LIMIT_PER_ACCOUNT = 5
PASSWORD_RESET_LIMIT_PER_IP = 20

# Failed logins (backend/accounts/lockout.py), each within AXES_COOLOFF_TIME: 5 of one login name from one
# IP address lock that name from that address only (a stranger cannot lock the owner out); 20 from one
# address lock it out of every account (password spraying); 30 of one name from anywhere lock the account
# (guessing spread over addresses) until a password reset or an administrator ends it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "backend.accounts.lockout.PortalAxesHandler"
LOGIN_FAILURE_LIMIT_PER_IP = 20
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 30
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "backend.accounts.auth_backend.login_username"
# The page or the error shape, saying which limit refused the login (this pair, the address, the account).
AXES_LOCKOUT_CALLABLE = "backend.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Two-factor login: wrong codes count toward the same axes lock-out as wrong passwords, so django-otp's own
# per-device back-off is off (it refused even the right code for seconds after a typo).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "Portal Klienta"
SECOND_FACTOR_REMEMBER_DAYS = 30  # "Zapamiętaj to urządzenie": the signed cookie's lifetime
ACTIVATION_CODE_MAX_ATTEMPTS = 5  # wrong one-time activation codes before the code is void
# Reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed; empty trusts nobody (backend/core/net.py).
PORTAL_TRUSTED_PROXIES = env("PORTAL_TRUSTED_PROXIES", [], cast=list)
AXES_CLIENT_IP_CALLABLE = "backend.core.net.client_ip"  # axes' access log records the same address

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files live outside static files and are served only through permission-checking views.
MEDIA_ROOT = Path(env("PORTAL_MEDIA_ROOT", str(VAR_DIR / "media")))
UPLOAD_MAX_BYTES = env("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, cast=int)
# An attachment uploaded for a form that was never sent is deleted (row and file) after this many hours.
UNUSED_UPLOADS_MAX_AGE_HOURS = env("UNUSED_UPLOADS_MAX_AGE_HOURS", 48, cast=int)
# A stored file no row names (its transaction rolled back, its process killed before commit) is deleted
# by beat's nightly sweep once this many hours old (backend/documents/orphan_files.py).
ORPHAN_FILES_MAX_AGE_HOURS = env("ORPHAN_FILES_MAX_AGE_HOURS", 24, cast=int)
# A decision document still being prepared after this many minutes is listed on the admin dashboard as
# waiting too long (the worker or beat is down, its task lost), with "Render now".
DOCUMENT_WAITING_ALERT_MINUTES = env("DOCUMENT_WAITING_ALERT_MINUTES", 10, cast=int)
# Buyout / early termination quote (backend/contracts/buyout.py): the fee, % of the capital repaid early,
# and how many days a quote is valid (never past its effective date).
BUYOUT_FEE_PERCENT = env("BUYOUT_FEE_PERCENT", "2.00")
BUYOUT_QUOTE_VALID_DAYS = env("BUYOUT_QUOTE_VALID_DAYS", 14, cast=int)
# Staff are due to act on a request by 17:00 (Polish time) of this many working days after it reaches them:
# Monday to Friday without Polish public holidays (backend/core/working_days.py, requests_app/lifecycle.py).
REQUEST_STAFF_SLA_WORKING_DAYS = env("REQUEST_STAFF_SLA_WORKING_DAYS", 5, cast=int)
# How far back the overdue sweep's first run looks (only due times passed within this many hours are mailed,
# older ones stay on the task list and dashboard); later runs mail every due time since the last completed
# run, however long the worker was down (requests_app/overdue.py).
REQUEST_STAFF_OVERDUE_EMAIL_WINDOW_HOURS = env("REQUEST_STAFF_OVERDUE_EMAIL_WINDOW_HOURS", 24, cast=int)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names and .gz/.br copies, from collectstatic (make run, the image): WhiteNoise then caches
    # them a year, immutable. The test suite keeps plain names (tests/conftest.py).
    "staticfiles": {"BACKEND": "backend.core.static_storage.PortalStaticFilesStorage"},
}
# Served from STATIC_ROOT; DEBUG (runserver) serves the app folders, plain names, as they are edited, and
# so does a process started where nothing was collected (a bare serve_web.py, the benches).
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").exists()
WHITENOISE_AUTOREFRESH = DEBUG
# Source maps are read by developer tools only: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# --- REST framework -------------------------------------------------------------------------------
REST_FRAMEWORK = api_settings.REST_FRAMEWORK
# Per user and scope (backend/config/api_settings.py); API_THROTTLE_ENABLED=false turns all off (the benchmarks).
API_THROTTLE_ENABLED = env("API_THROTTLE_ENABLED", True, cast=bool)
API_THROTTLE_RATES = api_settings.throttle_rates()
SPECTACULAR_SETTINGS = api_settings.spectacular_settings(
    API_THROTTLE_RATES,
    body_bytes=DATA_UPLOAD_MAX_MEMORY_SIZE,
    upload_bytes=UPLOAD_MAX_BYTES,
    idle_seconds=SESSION_COOKIE_AGE,
    absolute_seconds=SESSION_ABSOLUTE_AGE,
)

# --- Redis, channels, Celery ----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
# Throttle counts shared by every process: Redis, or files in var/ when embedded.
CACHES = queue_settings.caches(REDIS_URL, VAR_DIR)
# /readyz's answer serves this long per process (backend/core/health.py): a burst of probes runs the checks once.
READINESS_CACHE_SECONDS = 2.0
# Anyone but an operator gets /readyz's status alone, from an answer up to this old (portal_ui/views.py).
READINESS_PUBLIC_MAX_AGE = 10.0
# Sent as X-Readyz-Token, it shows /readyz's checks to a caller off this host (a monitor); empty: none.
PORTAL_READYZ_TOKEN = env("PORTAL_READYZ_TOKEN", "")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if CELERY_BROKER_URL == "filesystem://":  # the embedded broker: one folder shared by the processes
    CELERY_BROKER_TRANSPORT = "backend.config.folder_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = queue_settings.folder_broker_options(CELERY_BROKER_DIR)
CELERY_TASK_ALWAYS_EAGER = env("CELERY_TASK_ALWAYS_EAGER", False, cast=bool)
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is redelivered; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# After-commit tasks (notices of outbox events, decision documents): at most one message per task this many
# seconds apart per process, a commit after a quiet spell at once (backend/core/task_batches.py); 0 sends
# one per commit.
TASK_BATCH_SECONDS = env("TASK_BATCH_SECONDS", 0.25, cast=float)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}  # apps add their periodic tasks in backend/config/celery.py

# --- e-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env("EMAIL_PORT", 25, cast=int)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", False, cast=bool)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Portal Klienta <portal@leasing.example>")
# Customer service as the e-mails name them: the number to call and the address a reply goes to (Reply-To;
# the portal's own sender is not read).
CUSTOMER_SERVICE_PHONE = env("CUSTOMER_SERVICE_PHONE", "800 123 456")
CUSTOMER_SERVICE_EMAIL = env("CUSTOMER_SERVICE_EMAIL", "bok@leasing.example")

# --- bank single sign-on --------------------------------------------------------------------------
# Both default to on for the embedded demo and off in production, where they are switched on explicitly.
BANK_SSO_ENABLED = env("BANK_SSO_ENABLED", not PRODUCTION, cast=bool)
BANK_SSO_AUDIENCE = env("BANK_SSO_AUDIENCE", "portal-klienta")
BANK_SSO_ISSUER = env("BANK_SSO_ISSUER", "demo-bank")
# The bank's public key; empty means the demo bank's own key (only while the simulator is on).
BANK_SSO_PUBLIC_KEY_FILE = env("BANK_SSO_PUBLIC_KEY_FILE", "")
BANK_SIMULATOR_ENABLED = env("BANK_SIMULATOR_ENABLED", not PRODUCTION, cast=bool)
# Where a refused hand-off's page sends the customer back to the bank; empty: the demo bank's page while
# the simulator is on, else no such link (the assertion carries no return address).
BANK_SSO_RETURN_URL = env("BANK_SSO_RETURN_URL", "")
# The demo bank's key pair, made on first use; never the configured BANK_SSO_PUBLIC_KEY_FILE.
BANK_SIMULATOR_KEY_DIR = Path(env("BANK_SIMULATOR_KEY_DIR", str(VAR_DIR / "bank-sso")))

# --- live push (notifications/push.py: the relay loop of each ASGI process) -------------------------
LIVE_PUSH_POLL_SECONDS = env("LIVE_PUSH_POLL_SECONDS", 1.0, cast=float)
LIVE_PUSH_MAX_AGE_SECONDS = env("LIVE_PUSH_MAX_AGE_SECONDS", 120, cast=int)

# --- security (production hardening switched on by DJANGO_PRODUCTION) -----------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the portal's JavaScript reads it to send X-CSRFToken
# The language choice: no script reads it; Secure in production like every other cookie of the portal.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A form from a page out of date for the session: a portal page (or the API's error shape), not Django's bare 403.
CSRF_FAILURE_VIEW = "portal_ui.csrf_failure.csrf_failure"
# The proxy in front terminates TLS and itself sends plain HTTP to HTTPS: only then may production run
# with SECURE_SSL_REDIRECT=false (backend/core/safety.py, core.E108).
PORTAL_TLS_TERMINATED_BY_PROXY = env("PORTAL_TLS_TERMINATED_BY_PROXY", False, cast=bool)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", True, cast=bool)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS", 31536000, cast=int)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline scripts, styles or handlers; the live socket's origin named (backend/config/security_settings.py).
CONTENT_SECURITY_POLICY = content_security_policy(PORTAL_BASE_URL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Keep last: sees every setting above. DJANGO_PRODUCTION with a demo default stops the process here.
refuse_unsafe_production(globals())

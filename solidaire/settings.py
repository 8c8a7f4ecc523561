"""Settings, all read from environment variables (see README, "Configuration")."""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from solidaire.lib.net import url_source
from solidaire.lib.rgaa import parse_day, parse_rate
from solidaire.territory.instance import default_prefecture_name, parse_instance

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envpair(name: str) -> tuple[str, str] | None:
    """ "HTTP_X_FORWARDED_PROTO,https" -> ("HTTP_X_FORWARDED_PROTO", "https"); unset: None."""
    items = envlist(name, "")
    if not items:
        return None
    if len(items) != 2:
        raise ImproperlyConfigured(f"{name} : deux valeurs séparées par une virgule attendues.")
    return items[0], items[1]


# `make run` and the tests set DJANGO_ENV=dev; anything else is production, which refuses
# to start on the development defaults below (see README, "Production").
DJANGO_ENV = os.getenv("DJANGO_ENV", "production").strip().lower()
DEVELOPMENT = DJANGO_ENV == "dev"
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
DEV_ALLOWED_HOSTS = "127.0.0.1,localhost,testserver"

DEBUG = envbool("DEBUG", "False")
SECRET_KEY = os.getenv("SECRET_KEY", DEV_SECRET_KEY if DEVELOPMENT else "")
# Former keys, still accepted to check signatures (sessions, confirmation links) while a
# rotation settles; see docs/operations.md.
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS", "")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", DEV_ALLOWED_HOSTS if DEVELOPMENT else "")
if not DEVELOPMENT:
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY manquante ou égale à la clé de développement : fixez SECRET_KEY "
            "(50 caractères aléatoires ou plus), ou DJANGO_ENV=dev sur un poste de "
            "développement. / SECRET_KEY is missing or the development key: set it, or "
            "DJANGO_ENV=dev for development."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS vide : indiquez les noms d'hôte servis (p. ex. "
            "ALLOWED_HOSTS=solidaire.example.gouv.fr), ou DJANGO_ENV=dev sur un poste de "
            "développement. / ALLOWED_HOSTS is empty: list the served host names, or "
            "DJANGO_ENV=dev for development."
        )
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "solidaire.views.csrf_failure"
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

# The départements the instance serves: "62", "59,62", or "*" for all of France. Its map
# starts there, and its figures and pages name it. HOME_DEPARTMENT is the older name.
INSTANCE_DEPARTMENTS = (
    os.getenv("INSTANCE_DEPARTMENTS", "").strip()
    or os.getenv("HOME_DEPARTMENT", "").strip()
    or "62"
)
# A one-département instance's prefecture ranks first in the commune finder and owns what is
# submitted without a clearer owner; a wider instance has none unless HOME_DEPARTMENT says so.
HOME_DEPARTMENT = os.getenv("HOME_DEPARTMENT", parse_instance(INSTANCE_DEPARTMENTS).single)
# Seconds between two checks, by each process, that the communes changed (a COUNT).
FINDER_CHECK_SECONDS = envint("FINDER_CHECK_SECONDS", "5")
PREFECTURE_NAME = os.getenv("PREFECTURE_NAME") or default_prefecture_name(INSTANCE_DEPARTMENTS)
SITE_TITLE = os.getenv("SITE_TITLE", "Territoire solidaire")
SITE_TAGLINE = os.getenv(
    "SITE_TAGLINE", "Les initiatives de solidarité recensées par la préfecture"
)
# Shown on the legal, privacy and accessibility pages.
CONTACT_EMAIL = os.getenv("CONTACT_EMAIL", "contact@territoire-solidaire.example.org")
HOSTING_PROVIDER = os.getenv(
    "HOSTING_PROVIDER", "Hébergement assuré par les services de l'État (à préciser par l'instance)."
)
MAP_TILE_URL = os.getenv("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.getenv("MAP_TILE_ATTRIBUTION", "")

# /.well-known/security.txt (RFC 9116, solidaire/views.py): where to report a vulnerability
# (a mailto: or https: URI, required in production), the days its Expires lies ahead (under
# a year, as the RFC advises) and an optional disclosure policy's address.
SECURITY_CONTACT = os.getenv("SECURITY_CONTACT", "").strip()
if DEVELOPMENT and not SECURITY_CONTACT:
    SECURITY_CONTACT = f"mailto:{CONTACT_EMAIL}"
if not SECURITY_CONTACT:
    raise ImproperlyConfigured(
        "SECURITY_CONTACT manquante : indiquez où signaler une faille (mailto:… ou https://…), "
        "publiée dans /.well-known/security.txt. / SECURITY_CONTACT is missing: a mailto: or "
        "https: URI for security reports."
    )
if not SECURITY_CONTACT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        "SECURITY_CONTACT doit commencer par mailto: ou https://. / SECURITY_CONTACT must be a "
        "mailto: or https: URI."
    )
SECURITY_TXT_EXPIRES_DAYS = max(1, min(envint("SECURITY_TXT_EXPIRES_DAYS", "180"), 364))
SECURITY_POLICY_URL = os.getenv("SECURITY_POLICY_URL", "").strip()

# The accessibility statement (pages/accessibility.html) states the RGAA conformity of the
# last recorded audit: none recorded, the site is "non conforme" (the RGAA allows no other
# claim without an audit). Date (AAAA-MM-JJ), rate of criteria met (per cent), auditor;
# and the statement's own date (when it was written or last updated).
try:
    ACCESSIBILITY_AUDIT_DATE = parse_day(os.getenv("ACCESSIBILITY_AUDIT_DATE", ""))
    ACCESSIBILITY_AUDIT_RATE = parse_rate(os.getenv("ACCESSIBILITY_AUDIT_RATE", ""))
    ACCESSIBILITY_STATEMENT_DATE = parse_day(
        os.getenv("ACCESSIBILITY_STATEMENT_DATE", "") or "2026-12-01"
    )
except ValueError as exc:
    raise ImproperlyConfigured(
        "ACCESSIBILITY_AUDIT_DATE et ACCESSIBILITY_STATEMENT_DATE : une date AAAA-MM-JJ ; "
        "ACCESSIBILITY_AUDIT_RATE : un pourcentage de 0 à 100. / Accessibility audit "
        f"settings: an ISO date and a rate from 0 to 100 ({exc})."
    ) from exc
ACCESSIBILITY_AUDITOR = os.getenv("ACCESSIBILITY_AUDITOR", "").strip()
# Where the multi-year accessibility plan and this year's action plan are published (the
# statement carries its own summary without them).
ACCESSIBILITY_PLAN_URL = os.getenv("ACCESSIBILITY_PLAN_URL", "").strip()

# Audience measurement (Matomo), off unless both are set, in the configuration the CNIL
# exempts from consent (static/js/matomo.js): no cookie, no user ID, no cross-site link,
# never on staff pages. The Matomo server must anonymise IP addresses (2 bytes at least).
MATOMO_URL = os.getenv("MATOMO_URL", "").strip()
MATOMO_SITE_ID = os.getenv("MATOMO_SITE_ID", "").strip()
if MATOMO_URL and not MATOMO_URL.endswith("/"):
    MATOMO_URL += "/"

# Error reporting (Sentry), off without SENTRY_DSN; personal data scrubbed before an event
# leaves (solidaire/errorreporting.py).
SENTRY_DSN = os.getenv("SENTRY_DSN", "").strip()
SENTRY_ENVIRONMENT = os.getenv("SENTRY_ENVIRONMENT", DJANGO_ENV)
SENTRY_RELEASE = os.getenv("SENTRY_RELEASE", "").strip() or None
SENTRY_TRACES_SAMPLE_RATE = float(os.getenv("SENTRY_TRACES_SAMPLE_RATE", "0"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "dsfr",
    "django_htmx",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "solidaire.tasks_admin.TasksDbConfig",  # django_tasks_db, named in French
    "solidaire.territory",
    "solidaire.outbox",
    "solidaire.accounts",
    "solidaire.initiatives",
    "solidaire.moderation",
    "solidaire.bulletins",
    "solidaire.imports",
    "solidaire.opendata",
    "solidaire.alerts",
    "solidaire.organisations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session is read: a NUL in an address or a cookie never reaches the database.
    "solidaire.middleware.ControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the shared cache, before anything reads a session; the
    # middleware above still set their headers on a hit (solidaire/pagecache/).
    "solidaire.pagecache.middleware.PageCacheMiddleware",
    # Outermost of the page-making middleware: it sees every page, error pages included.
    "solidaire.typography.FrenchTypographyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "solidaire.accounts.middleware.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Views raise Ratelimited; this answers with RATELIMIT_VIEW (429) rather than a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "solidaire.urls"
WSGI_APPLICATION = "solidaire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "solidaire" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "solidaire.context_processors.site",
            ],
            "builtins": ["solidaire.template_builtins"],
        },
    },
]

# PostgreSQL connections come from Django's pool (psycopg_pool), one per process: at most
# DB_POOL_MAX connections each, DB_POOL_MIN kept open; a request that waits DB_POOL_TIMEOUT
# seconds for one gets a French 503 (solidaire.views.server_error), never a hang.
# DB_POOL_MAX=0 turns the pool off (persistent connections, CONN_MAX_AGE=60, e.g. behind
# pgbouncer). The pool requires CONN_MAX_AGE=0. See docs/deploy.md.
DB_POOL_MIN = envint("DB_POOL_MIN", "1")
DB_POOL_MAX = envint("DB_POOL_MAX", "4")
DB_POOL_TIMEOUT = float(os.getenv("DB_POOL_TIMEOUT", "5"))
# After a pool timeout, a process refuses connections at once for this long (solidaire/db):
# clients do not queue behind requests that would each wait DB_POOL_TIMEOUT.
DB_POOL_FAIL_FAST_SECONDS = float(os.getenv("DB_POOL_FAIL_FAST_SECONDS", "2"))
# Seconds to open a connection to PostgreSQL before giving up (a host that drops packets).
DB_CONNECT_TIMEOUT = envint("DB_CONNECT_TIMEOUT", "5")


def database_settings(
    url: str,
    *,
    connect_timeout: int = DB_CONNECT_TIMEOUT,
    pool_min: int = DB_POOL_MIN,
    pool_max: int = DB_POOL_MAX,
    pool_timeout: float = DB_POOL_TIMEOUT,
) -> dict:
    """One DATABASES entry from a URL, pooled when it is PostgreSQL and pool_max > 0."""
    postgres = url.startswith(("postgres://", "postgresql://", "pgsql://"))
    pooled = postgres and pool_max > 0
    config = dj_database_url.parse(url, conn_max_age=0 if pooled else 60)
    if postgres:
        config.setdefault("OPTIONS", {})["connect_timeout"] = connect_timeout
    if pooled:
        if not 0 <= pool_min <= pool_max:
            raise ImproperlyConfigured(
                "DB_POOL_MIN doit être compris entre 0 et DB_POOL_MAX. / DB_POOL_MIN must be "
                "between 0 and DB_POOL_MAX."
            )
        # Django's PostgreSQL backend, failing fast right after a pool timeout.
        config["ENGINE"] = "solidaire.db"
        config["OPTIONS"]["pool"] = {
            "min_size": pool_min,
            "max_size": pool_max,
            "timeout": pool_timeout,
        }
        # The pool checks each connection it hands out (psycopg_pool's check_connection): one
        # the server closed (restart, failover) is replaced rather than failing a request.
        config["CONN_HEALTH_CHECKS"] = True
    return config


# SQLite (WAL, immediate transactions) unless DATABASE_URL points elsewhere.
DATABASE_URL = os.getenv("DATABASE_URL", "")
# An optional streaming replica of DATABASE_URL for public reads (solidaire/replica.py).
DATABASE_REPLICA_URL = os.getenv("DATABASE_REPLICA_URL", "")
# A client that wrote reads from the primary for this long (cookie ts_primaire).
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", "60")
# The replica further behind than this (seconds) is left aside: reads go to the primary.
REPLICA_MAX_LAG_SECONDS = float(os.getenv("REPLICA_MAX_LAG_SECONDS", "10"))
# How often (seconds) each process probes the replica's connection and lag, and how often
# once it was found down or late.
REPLICA_CHECK_SECONDS = float(os.getenv("REPLICA_CHECK_SECONDS", "2"))
REPLICA_RETRY_SECONDS = float(os.getenv("REPLICA_RETRY_SECONDS", "10"))
DATABASE_ROUTERS = []
if DATABASE_URL:
    DATABASES = {"default": database_settings(DATABASE_URL)}
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = {
            # A replica answers quickly or is left aside: reads fall back to the primary.
            **database_settings(DATABASE_REPLICA_URL, connect_timeout=2),
            "TEST": {"MIRROR": "default"},
        }
        DATABASE_ROUTERS = ["solidaire.replica.ReplicaRouter"]
elif DATABASE_REPLICA_URL:
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_URL sans DATABASE_URL : la réplique suit une base PostgreSQL "
        "principale. / DATABASE_REPLICA_URL needs DATABASE_URL."
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # secure_delete: erased personal data is overwritten, not left in free pages.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
if DATABASE_ROUTERS:
    # Before the session is read: it decides which database this request reads from.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "solidaire.replica.PrimaryPinMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# /sante/ (solidaire/health.py): how long it waits for a pooled connection (seconds), how
# long a task may wait in the queue, and how late past its period a scheduled job may be,
# before it reports that part as failed.
HEALTH_DB_TIMEOUT = float(os.getenv("HEALTH_DB_TIMEOUT", "2"))
HEALTH_QUEUE_MAX_WAIT_SECONDS = envint("HEALTH_QUEUE_MAX_WAIT_SECONDS", "900")
HEALTH_SCHEDULER_GRACE_SECONDS = envint("HEALTH_SCHEDULER_GRACE_SECONDS", "3600")

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/gestion/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# ProConnect (OpenID Connect, solidaire/accounts/proconnect.py; README, "Connexion
# ProConnect"). Off unless PROCONNECT_ENABLED. The provider's endpoints come from its
# discovery document (PROCONNECT_DISCOVERY_URL, read once an hour); any of them may be
# given instead (PROCONNECT_ISSUER, PROCONNECT_*_ENDPOINT, PROCONNECT_JWKS_URL).
PROCONNECT_ENABLED = envbool("PROCONNECT_ENABLED", "False")
PROCONNECT_DISCOVERY_URL = os.getenv("PROCONNECT_DISCOVERY_URL", "").strip()
PROCONNECT_ISSUER = os.getenv("PROCONNECT_ISSUER", "").strip()
PROCONNECT_AUTHORIZATION_ENDPOINT = os.getenv("PROCONNECT_AUTHORIZATION_ENDPOINT", "").strip()
PROCONNECT_TOKEN_ENDPOINT = os.getenv("PROCONNECT_TOKEN_ENDPOINT", "").strip()
PROCONNECT_USERINFO_ENDPOINT = os.getenv("PROCONNECT_USERINFO_ENDPOINT", "").strip()
PROCONNECT_JWKS_URL = os.getenv("PROCONNECT_JWKS_URL", "").strip()
PROCONNECT_END_SESSION_ENDPOINT = os.getenv("PROCONNECT_END_SESSION_ENDPOINT", "").strip()
# With ProConnect on, LOCAL_PASSWORDS=False leaves ProConnect as the only way in: the
# login page offers its button only, and the password forms refuse. Without ProConnect,
# local passwords always stay.
LOCAL_PASSWORDS = envbool("LOCAL_PASSWORDS", "True")
# mozilla-django-oidc's settings, fixed to what ProConnect documents: the scopes, a state
# and a nonce well over its 32 characters, no PKCE and no extra parameter (ProConnect
# answers any undocumented parameter of the authorisation URL with Y000400), the client
# secret in the token request's body (client_secret_post), RS256 signatures.
OIDC_RP_CLIENT_ID = os.getenv("PROCONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.getenv("PROCONNECT_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.getenv("PROCONNECT_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email given_name usual_name siret"
OIDC_STATE_SIZE = 48
OIDC_NONCE_SIZE = 48
OIDC_USE_NONCE = True
OIDC_USE_PKCE = False
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {}
OIDC_TOKEN_USE_BASIC_AUTH = False
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
OIDC_TIMEOUT = envint("PROCONNECT_TIMEOUT", "10")
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "solidaire.accounts.proconnect.ProConnectBackend",
]

# A staff session ends after this long without a request (accounts.middleware); visitors'
# sessions (private links) keep Django's lifetime.
STAFF_SESSION_IDLE_SECONDS = envint("STAFF_SESSION_IDLE_SECONDS", str(2 * 60 * 60))

# Redis in production (shared by every process); the one-process embedded default
# keeps a local-memory cache.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SILENCED_SYSTEM_CHECKS = []
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Room for the page cache's pages beside the reference data and the counters.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
    # django-ratelimit warns that LocMem is per process; the embedded default runs one
    # process, so its counters are exact there. Production sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# The page cache (solidaire/pagecache/): anonymous public pages and API answers kept in the
# cache above for PAGE_CACHE_SECONDS at most (a change of what they show replaces them at
# once), and kept by browsers and proxies for PAGE_CACHE_MAX_AGE.
PAGE_CACHE = envbool("PAGE_CACHE", "True")
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "600")
PAGE_CACHE_MAX_AGE = envint("PAGE_CACHE_MAX_AGE", "60")
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", "True")
RATELIMIT_VIEW = "solidaire.views.ratelimited"
# The client's address, for every limit below and the API's throttle: the socket's
# address unless TRUSTED_PROXY_COUNT reverse proxies stand in front and write
# TRUSTED_PROXY_HEADER (see solidaire/lib/net.py).
TRUSTED_PROXY_HEADER = os.getenv("TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
RATELIMIT_IP_META_KEY = "solidaire.client_address.client_ip"
# Limits per client address and window (django-ratelimit's rate syntax: "20/h", "5/15m").
# Accepted proposals on the public form: a town hall's office sends a morning's proposals
# from one address.
SUBMIT_RATE_LIMIT = os.getenv("SUBMIT_RATE_LIMIT", "20/h")
REPORT_RATE_LIMIT = os.getenv("REPORT_RATE_LIMIT", "5/h")
SUBSCRIBE_RATE_LIMIT = os.getenv("SUBSCRIBE_RATE_LIMIT", "10/h")
# Password forms (solidaire/accounts/throttle.py): failed logins per account and per
# address (the staff login and /admin/login/ share them), reset requests per e-mail and per
# address, invitation attempts per invitation and per address.
LOGIN_ACCOUNT_RATE_LIMIT = os.getenv("LOGIN_ACCOUNT_RATE_LIMIT", "5/15m")
LOGIN_ADDRESS_RATE_LIMIT = os.getenv("LOGIN_ADDRESS_RATE_LIMIT", "20/15m")
PASSWORD_RESET_RATE_LIMIT = os.getenv("PASSWORD_RESET_RATE_LIMIT", "5/h")
INVITATION_RATE_LIMIT = os.getenv("INVITATION_RATE_LIMIT", "10/h")
# Days a submitter's private link keeps working once its initiative is archived, rejected
# or withdrawn (then a French "lien expiré" page, 410).
PRIVATE_LINK_TTL_DAYS = envint("PRIVATE_LINK_TTL_DAYS", "90")
# Freshness (initiatives/freshness.py): days after "vérifiée le" an initiative is "à
# confirmer" (a campaign may set its own), days more before it is hidden, days before the
# first period ends that its submitter is asked, days before a reminder then before the
# moderators are warned, days an answer link works.
FRESHNESS_DAYS = envint("FRESHNESS_DAYS", "28")
FRESHNESS_HIDE_DAYS = envint("FRESHNESS_HIDE_DAYS", "28")
FRESHNESS_ASK_BEFORE_DAYS = envint("FRESHNESS_ASK_BEFORE_DAYS", "7")
FRESHNESS_REMIND_DAYS = envint("FRESHNESS_REMIND_DAYS", "7")
FRESHNESS_LINK_DAYS = envint("FRESHNESS_LINK_DAYS", "45")

# Retention (written on the privacy page): refused and withdrawn proposals, and finished
# background-task rows (with one-off e-mails), are deleted this many days after they closed
# (scheduled jobs retention_purge and prune_task_results).
RETENTION_CLOSED_DAYS = envint("RETENTION_CLOSED_DAYS", "180")
RETENTION_TASKS_DAYS = envint("RETENTION_TASKS_DAYS", "30")
# Alert e-mails refused in a row by the SMTP server before the address is suspended.
ALERT_REFUSALS_MAX = envint("ALERT_REFUSALS_MAX", "3")

# Background work: a database queue served by `manage.py run_worker` (django-tasks-db's
# worker, supervised); tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A task RUNNING this long (seconds) whose worker stopped beating is put back in the queue,
# at most TASKS_MAX_ATTEMPTS claims in all, then marked failed.
TASKS_STALE_AFTER = envint("TASKS_STALE_AFTER", "600")
TASKS_MAX_ATTEMPTS = envint("TASKS_MAX_ATTEMPTS", "3")
# The longest wait (seconds) between two tries of the worker through a database outage.
TASKS_BACKOFF_MAX = envint("TASKS_BACKOFF_MAX", "60")
# E-mails (the outbox ledger): a temporary failure (SMTP down, 4xx) is tried again after
# OUTBOX_RETRY_DELAY seconds, doubling up to OUTBOX_RETRY_MAX_DELAY, for OUTBOX_RETRY_FOR
# seconds in all; then the row is failed and shown to staff. A row still "sending" after
# OUTBOX_SENDING_TIMEOUT seconds is counted as uncertain ("à vérifier").
OUTBOX_RETRY_DELAY = envint("OUTBOX_RETRY_DELAY", "30")
OUTBOX_RETRY_MAX_DELAY = envint("OUTBOX_RETRY_MAX_DELAY", "1800")
OUTBOX_RETRY_FOR = envint("OUTBOX_RETRY_FOR", "172800")
OUTBOX_SENDING_TIMEOUT = envint("OUTBOX_SENDING_TIMEOUT", "300")

# The embedded default writes every e-mail, the web server's and run_worker's alike, as a
# file in one folder (see README, "Démarrer"); production sets the SMTP backend.
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.getenv("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
# Seconds before an SMTP connection or command gives up: a silent server must not hang
# the worker (the e-mail is then tried again later).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
DEFAULT_FROM_EMAIL = os.getenv(
    "DEFAULT_FROM_EMAIL", "Territoire solidaire <ne-pas-repondre@example.org>"
)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "solidaire" / "static"]
# `collectstatic` (run by `make run`) writes hashed, compressed copies; WhiteNoise serves
# them from STATIC_ROOT with far-future cache headers, so a page's assets are fetched once.
STORAGES = {
    # Uploaded files: the platform keeps none of its own (documents are read into the
    # database, PDFs go to the cache); django-dsfr's admin settings can take a logo. With
    # several app servers, point MEDIA_ROOT at a shared folder or FILE_STORAGE_BACKEND at a
    # shared storage (docs/deploy.md).
    "default": {
        "BACKEND": os.getenv("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": os.getenv(
            "STATICFILES_BACKEND", "solidaire.lib.staticfiles.CompressedManifestStorage"
        )
    },
}
# The full open data files, generated ahead of time, must be readable by every application
# server: a shared storage (django-storages' S3 backend, or a volume that all of them mount).
# EXPORT_STORAGE_OPTIONS: the backend's options in JSON; the default writes under var/exports.
EXPORT_STORAGE_BACKEND = os.getenv(
    "EXPORT_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
STORAGES["exports"] = {
    "BACKEND": EXPORT_STORAGE_BACKEND,
    "OPTIONS": json.loads(os.getenv("EXPORT_STORAGE_OPTIONS", "") or "null")
    or (
        {"location": str(BASE_DIR / "var" / "exports")}
        if EXPORT_STORAGE_BACKEND.endswith(".FileSystemStorage")
        else {}
    ),
}
# Filtered exports are generated by the request: beyond this many rows, the visitor is sent
# to the full file instead (a request must end well within gunicorn's 30 s).
EXPORT_MAX_ROWS = envint("EXPORT_MAX_ROWS", "50000")
# Minutes between two scheduled generations of the full files (also after each publication
# batch).
EXPORT_BUILD_MINUTES = envint("EXPORT_BUILD_MINUTES", "60")
# The platform's producer identifier in data·inclusion's files (``source``); empty: the
# site's title as a slug.
DATA_INCLUSION_SOURCE = os.getenv("DATA_INCLUSION_SOURCE", "")
# Publication on data.gouv.fr (`manage.py publish_datagouv`): the API's base (the demo
# platform is https://demo.data.gouv.fr/api/1/), a user's API key, the organisation to
# publish under (its id) and the dataset (id or slug; empty: created on the first run, its
# id to be kept here afterwards).
DATAGOUV_API_URL = os.getenv("DATAGOUV_API_URL", "https://www.data.gouv.fr/api/1/")
DATAGOUV_API_KEY = os.getenv("DATAGOUV_API_KEY", "")
DATAGOUV_ORGANIZATION = os.getenv("DATAGOUV_ORGANIZATION", "")
DATAGOUV_DATASET = os.getenv("DATAGOUV_DATASET", "")
# Seconds per call, and attempts of a call that fails (time-out, 5xx, 429) before giving up.
DATAGOUV_TIMEOUT = envint("DATAGOUV_TIMEOUT", "60")
DATAGOUV_ATTEMPTS = envint("DATAGOUV_ATTEMPTS", "4")
# Served from STATIC_ROOT only: the finders would hand out uncompressed, unhashed copies.
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", "False")
MEDIA_ROOT = os.getenv("MEDIA_ROOT", str(BASE_DIR / "media"))

DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024))
# Larger uploads are streamed to a temporary file, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024))
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))
# A dropped document whose text is longer (characters) is analysed by the task queue, its page
# showing the progress; its review shows IMPORT_REVIEW_PAGE_SIZE initiatives per page.
IMPORT_BACKGROUND_BYTES = envint("IMPORT_BACKGROUND_BYTES", "200000")
IMPORT_REVIEW_PAGE_SIZE = envint("IMPORT_REVIEW_PAGE_SIZE", "20")
# A PDF is read within bounds: pages, and bytes any one of its streams may inflate to.
IMPORT_PDF_MAX_PAGES = envint("IMPORT_PDF_MAX_PAGES", "300")
IMPORT_PDF_MAX_STREAM_BYTES = envint("IMPORT_PDF_MAX_STREAM_BYTES", str(20 * 1024 * 1024))

DSFR_USE_INTEGRITY_CHECKSUMS = True

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["solidaire.client_address.ClientAnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.getenv("API_THROTTLE_RATE", "120/min")},
    # Unused by the throttle above (it reads client_ip); kept equal for any other reader.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Territoire solidaire",
    "DESCRIPTION": "Initiatives de solidarité publiées, campagnes, bulletins, chiffres et communes. "
    "Données sous Licence Ouverte 2.0.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "solidaire.opendata.schema.declare_throttling",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# HTTPS in production: HSTS, cookies sent over TLS only, plain HTTP redirected. Where TLS
# ends at a proxy, SECURE_PROXY_SSL_HEADER names the header it sets ("HTTP_X_FORWARDED_PROTO,
# https"); a proxy that does not forward the scheme needs SECURE_SSL_REDIRECT=False (it
# redirects itself), or every request would loop.
SECURE_PROXY_SSL_HEADER = envpair("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEVELOPMENT))
# A load balancer checks each app server directly, over plain HTTP: /sante/ answers it
# rather than redirecting to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEVELOPMENT else str(365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEVELOPMENT

# Content-Security-Policy (django-csp), in every profile so that development sees what
# production enforces. Scripts come from the site's own files only: no inline script, no
# nonce (pages stay cacheable), no eval. Styles too: the DSFR, Leaflet and the site set
# styles from stylesheets or through the DOM (allowed); the one page that shows an e-mail's
# inline styles (the bulletin's e-mail preview) widens style-src for itself.
# With Matomo on, its origin alone is added: its script, the hits it sends (a beacon, or an
# image when beacons are refused).


def content_security_policy(*, map_tile_url: str = "", matomo_url: str = "") -> dict:
    matomo = list(filter(None, [url_source(matomo_url)]))
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, *matomo],
            "style-src": [SELF],
            # data: for the DSFR's and Leaflet's inline SVG icons; the map's tile server.
            "img-src": [SELF, "data:", *filter(None, [url_source(map_tile_url)]), *matomo],
            "font-src": [SELF],
            "connect-src": [SELF, *matomo],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }


CONTENT_SECURITY_POLICY = content_security_policy(
    map_tile_url=MAP_TILE_URL, matomo_url=MATOMO_URL if MATOMO_SITE_ID else ""
)

if SENTRY_DSN:
    from solidaire.errorreporting import error_reporting_init

    error_reporting_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

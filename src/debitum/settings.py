"""The one settings module, read from the environment.

DEBITUM_HOME        data directory of the embedded default (default ./.debitum): SQLite file,
                    generated secret key, uploaded and generated files.
DATABASE_URL        sqlite:///PATH or postgres://USER@HOST:PORT/NAME; unset = SQLite in DEBITUM_HOME.
DEBITUM_ENV         "development" (default) or "production". Production refuses to start without
                    DEBITUM_SECRET_KEY, DATABASE_URL and DEBITUM_ALLOWED_HOSTS.
DEBITUM_SECRET_KEY  Django's secret key; in development one is generated once into DEBITUM_HOME.
DEBITUM_ALLOWED_HOSTS  comma-separated host names.
DEBITUM_DEBUG       "1" to show Django's debug pages (never in production).
EMAIL_URL           smtp://[USER:PASSWORD@]HOST:PORT[?starttls=1] or smtps://…: where e-mails go.
DEBITUM_DOCUMENTS_DIR  where letters (PDF) are stored; default DEBITUM_HOME/documents.
DEBITUM_JOBS        who runs background jobs: "thread" (default without a broker: a thread of
                    `debitum serve`), "celery" (default with a broker: `debitum worker`), "eager".
DEBITUM_BROKER_URL  Celery's broker: redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1//.
CACHE_URL           redis://HOST:PORT/DB for the cache (job progress) shared by several machines;
                    default: a file cache in DEBITUM_HOME, shared by the processes of one machine.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent

ENVIRONMENT = os.environ.get("DEBITUM_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(
        f"DEBITUM_ENV must be 'development' or 'production', not {ENVIRONMENT!r}"
    )
IS_PRODUCTION = ENVIRONMENT == "production"

if IS_PRODUCTION:
    missing = [
        name
        for name in ("DEBITUM_SECRET_KEY", "DATABASE_URL", "DEBITUM_ALLOWED_HOSTS")
        if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "DEBITUM_ENV=production needs these environment variables: " + ", ".join(missing)
        )

DEBITUM_HOME = Path(os.environ.get("DEBITUM_HOME", ".debitum")).resolve()


def _secret_key() -> str:
    if os.environ.get("DEBITUM_SECRET_KEY"):
        return os.environ["DEBITUM_SECRET_KEY"]
    # Development: one key per data directory, so sessions survive a restart.
    DEBITUM_HOME.mkdir(parents=True, exist_ok=True)
    key_file = DEBITUM_HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DEBITUM_DEBUG") == "1" and not IS_PRODUCTION
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DEBITUM_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "debitum.common",
    "debitum.administrations",
    "debitum.audit",
    "debitum.customers",
    "debitum.ledger",
    "debitum.imports",
    "debitum.reports",
    "debitum.law",
    "debitum.dunning",
    "debitum.promises",
    "debitum.disputes",
    "debitum.plans",
    "debitum.tasks",
    "debitum.claims",
    "debitum.banking",
    "debitum.notes",
    "debitum.api",
    "debitum.outbox",
    "debitum.collect",
    "debitum.jobs",
    "debitum.web",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "debitum.web.middleware.UserLanguageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before checking it
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after repeated failed logins (django-axes): DEBITUM_LOGIN_ATTEMPTS failures for one
# user name from one address lock that pair for DEBITUM_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("DEBITUM_LOGIN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DEBITUM_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "debitum.urls"
WSGI_APPLICATION = "debitum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "debitum.web.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEBITUM_HOME / 'debitum.sqlite3'}"
    config = dj_database_url.parse(url)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            # WAL lets the web server read while an import writes; IMMEDIATE avoids
            # "database is locked" upgrades from read to write locks inside a transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    elif engine == "django.db.backends.postgresql":
        # Persistent connections between requests (DESIGN: "Database connections persist").
        config["CONN_MAX_AGE"] = int(os.environ.get("DEBITUM_CONN_MAX_AGE", "600"))
        config["CONN_HEALTH_CHECKS"] = True
        # No JIT compilation: the planner's estimates for the work list and the aging (an
        # aggregate over every open item) pass jit_above_cost, and compiling their plans took
        # 3-7 s of the work list's 6-10 s at a million invoices, for nothing gained.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be sqlite:/// or postgres://, not {url.split(':', 1)[0]}://"
        )
    config.setdefault("TEST", {})
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DEBITUM_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the installed package (WHITENOISE_USE_FINDERS); a proxy that
# serves them itself gets a copy with `debitum manage collectstatic` into DEBITUM_STATIC_ROOT.
STATIC_ROOT = (
    Path(os.environ["DEBITUM_STATIC_ROOT"]) if os.environ.get("DEBITUM_STATIC_ROOT") else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve app static files straight from the package: `debitum serve` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DEBITUM_HOME / "files"
# Letters (PDF) as sent: <dir>/<administration code>/<yyyy>/<mm>/<action id>-<kind>.pdf
DEBITUM_DOCUMENTS_DIR = Path(
    os.environ.get("DEBITUM_DOCUMENTS_DIR") or DEBITUM_HOME / "documents"
).resolve()


def _email(url: str | None) -> dict:
    """Django's EMAIL_* settings from EMAIL_URL.

    smtp://[USER:PASSWORD@]HOST[:PORT][?starttls=1]  plain SMTP (port 25), STARTTLS when asked
    smtps://[USER:PASSWORD@]HOST[:PORT]              SMTP over TLS from the first byte (port 465)
    console://                                       prints the messages (development)
    User and password are percent-encoded (an @ in a user name is %40). `timeout=SECONDS`
    (default 30) bounds a hanging server, so one bad server cannot stall `debitum outbox send`.
    """
    from urllib.parse import parse_qs, unquote, urlsplit

    smtp = "django.core.mail.backends.smtp.EmailBackend"
    if not url:
        # Nothing is sent until EMAIL_URL is set: `debitum outbox send` says so.
        return {"EMAIL_BACKEND": smtp}
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ImproperlyConfigured(
            f"EMAIL_URL must be smtp://HOST:PORT, smtps://HOST:PORT or console://, not {url!r}"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    is_ssl = parts.scheme == "smtps"
    is_starttls = query.get("starttls", "0").lower() in ("1", "true", "yes")
    if is_ssl and is_starttls:
        raise ImproperlyConfigured("EMAIL_URL: smtps:// is TLS already; starttls=1 is for smtp://")
    return {
        "EMAIL_BACKEND": smtp,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if is_ssl else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": is_ssl,
        "EMAIL_USE_TLS": is_starttls,
        "EMAIL_TIMEOUT": int(query.get("timeout", "30")),
    }


# Background jobs (debitum/jobs): long work never runs inside a web request.
DEBITUM_BROKER_URL = os.environ.get("DEBITUM_BROKER_URL") or None
DEBITUM_JOBS = os.environ.get("DEBITUM_JOBS") or ("celery" if DEBITUM_BROKER_URL else "thread")
if DEBITUM_JOBS not in ("thread", "celery", "eager"):
    raise ImproperlyConfigured(
        f"DEBITUM_JOBS must be thread, celery or eager, not {DEBITUM_JOBS!r}"
    )
if DEBITUM_JOBS == "celery" and not DEBITUM_BROKER_URL:
    raise ImproperlyConfigured("DEBITUM_JOBS=celery needs DEBITUM_BROKER_URL (redis:// or amqp://)")
DEBITUM_JOB_THREADS = int(os.environ.get("DEBITUM_JOB_THREADS", "1"))
DEBITUM_JOB_STALE_SECONDS = int(os.environ.get("DEBITUM_JOB_STALE_SECONDS", str(6 * 3600)))
DEBITUM_JOB_QUEUE = os.environ.get("DEBITUM_JOB_QUEUE", "debitum")
# A dunning run's preview is a background job for administrations with more invoices than this.
DEBITUM_PREVIEW_INLINE_INVOICES = int(os.environ.get("DEBITUM_PREVIEW_INLINE_INVOICES", "20000"))
# Two heavy reads of one report (the aging buckets and the unapplied payments) run side by
# side on two connections of one snapshot (common/side_by_side.py); 0 runs them one by one.
DEBITUM_PARALLEL_READS = os.environ.get("DEBITUM_PARALLEL_READS", "1") != "0"
# Uploaded files wait here between a preview and the import (imports/uploads.py); workers on
# other machines need it shared.
DEBITUM_UPLOADS_DIR = (
    Path(os.environ["DEBITUM_UPLOADS_DIR"]) if os.environ.get("DEBITUM_UPLOADS_DIR") else None
)


def _caches(url: str | None) -> dict:
    if url and url.startswith(("redis://", "rediss://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    if url:
        raise ImproperlyConfigured(f"CACHE_URL must be redis://HOST:PORT/DB, not {url!r}")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DEBITUM_HOME / "cache"),
        }
    }


CACHES = _caches(os.environ.get("CACHE_URL") or None)

EMAIL_URL = os.environ.get("EMAIL_URL") or None
_EMAIL = _email(EMAIL_URL)
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = _EMAIL.get("EMAIL_TIMEOUT", 30)
# The From address when an administration has no e-mail address of its own.
DEFAULT_FROM_EMAIL = os.environ.get("DEBITUM_EMAIL_FROM", "debitum@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DEBITUM_LOG_LEVEL", "WARNING")},
}

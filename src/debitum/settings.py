"""The one settings module, read from the environment.

DEBITUM_HOME        data directory of the embedded default (default ./.debitum): SQLite file,
                    generated secret key, uploaded and generated files.
DATABASE_URL        sqlite:///PATH or postgres://USER@HOST:PORT/NAME; unset = SQLite in DEBITUM_HOME.
DEBITUM_ENV         "development" (default) or "production". Production refuses to start without
                    DEBITUM_SECRET_KEY, DATABASE_URL and DEBITUM_ALLOWED_HOSTS.
DEBITUM_SECRET_KEY  Django's secret key; in development one is generated once into DEBITUM_HOME.
DEBITUM_ALLOWED_HOSTS  comma-separated host names.
DEBITUM_DEBUG       "1" to show Django's debug pages (never in production).
"""

import os
import secrets
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
    "debitum.web",
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
]

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

"""Settings shared by every environment. Everything that differs comes from the environment.

Environment variables (all optional in development):

==============================  =============================================================
``ZHIJIAN_DATA_DIR``            where SQLite, uploaded files and the local broker live
                                (default ``build/`` in the repository)
``ZHIJIAN_DATABASE_URL``        ``postgres://user:password@host:5432/name`` (or ``sqlite:///path``)
``ZHIJIAN_DB``                  ``sqlite`` (default) or ``postgres`` (local PostgreSQL, db ``zhijian``)
``ZHIJIAN_SQLITE_PATH``         the SQLite file (default ``<data dir>/zhijian.sqlite3``)
``ZHIJIAN_MEDIA_ROOT``          uploaded files (default ``<data dir>/media``)
``CELERY_BROKER_URL``           ``redis://127.0.0.1:6379/0`` in production and CI; default is
                                kombu's SQLAlchemy transport over ``<data dir>/celery-broker.sqlite3``
``CELERY_RESULT_BACKEND``       default ``db+sqlite:///<data dir>/celery-results.sqlite3``
``ZHIJIAN_MAX_MODEL_BYTES``     upload size limit for models (default 512 MB)
``ZHIJIAN_REDIS_CACHE_URL``     a Redis cache (login rate limits shared across processes; in
                                production also sessions, ``cached_db``)
``ZHIJIAN_BROKER_TRANSPORT_OPTIONS``  JSON merged into the Redis transport options
``DJANGO_SECRET_KEY``           required in production
==============================  =============================================================
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_lazy as _

# The same default as zhijian.domain.bim.model_file.DEFAULT_MAX_BYTES (not imported here:
# that module loads IfcOpenShell, which settings should not).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/zhijian
_REPO = PACKAGE_DIR.parents[1]
REPO_DIR = _REPO if (_REPO / "pyproject.toml").is_file() else Path.cwd()
DATA_DIR = Path(os.environ.get("ZHIJIAN_DATA_DIR", REPO_DIR / "build")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """``postgres://user:pw@host:port/name`` or ``sqlite:///path`` as a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "zhijian",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("ZHIJIAN_DB_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":  # sqlite:///relative/path or sqlite:////absolute/path
        return sqlite_database(Path(unquote(parts.path[1:])))
    raise ValueError(f"ZHIJIAN_DATABASE_URL: unsupported scheme {parts.scheme!r} (postgres or sqlite)")


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL lets the web server read while the worker writes; wait instead of failing on locks.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "TEST": {"NAME": os.environ.get("ZHIJIAN_SQLITE_TEST_PATH") or None},
    }


def database() -> dict[str, object]:
    url = os.environ.get("ZHIJIAN_DATABASE_URL")
    if url:
        return database_from_url(url)
    if os.environ.get("ZHIJIAN_DB", "sqlite").lower() in ("postgres", "postgresql"):
        return database_from_url(
            "postgres://{user}@{host}:{port}/{name}".format(
                user=os.environ.get("ZHIJIAN_PGUSER", "postgres"),
                host=os.environ.get("ZHIJIAN_PGHOST", "127.0.0.1"),
                port=os.environ.get("ZHIJIAN_PGPORT", "5432"),
                name=os.environ.get("ZHIJIAN_PGDATABASE", "zhijian"),
            )
        )
    return sqlite_database(Path(os.environ.get("ZHIJIAN_SQLITE_PATH", DATA_DIR / "zhijian.sqlite3")))


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "zhijian.apps.common",
    "zhijian.apps.accounts",
    "zhijian.apps.audit",
    "zhijian.apps.projects",
    "zhijian.apps.review",
    "zhijian.apps.prefab",
    "zhijian.apps.assembly",
    "zhijian.apps.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhijian.apps.common.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhijian.config.urls"
WSGI_APPLICATION = "zhijian.config.wsgi.application"
ASGI_APPLICATION = "zhijian.config.asgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "review:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login rate limit: this many failures per username (and per client address) in the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("ZHIJIAN_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_S = int(os.environ.get("ZHIJIAN_LOGIN_FAILURE_WINDOW_S", "900"))

_REDIS_CACHE = os.environ.get("ZHIJIAN_REDIS_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_CACHE}
        if _REDIS_CACHE
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhijian"}
    )
}

# Review pages kept until the data under them changes (apps/common/page_cache.py): only with a
# cache every process shares, so that a worker's writes reach the web servers' data version.
PAGE_CACHE = env_bool("ZHIJIAN_PAGE_CACHE", bool(_REDIS_CACHE))
PAGE_CACHE_SECONDS = int(os.environ.get("ZHIJIAN_PAGE_CACHE_SECONDS", "600"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The built 3D viewer (make frontend → src/zhijian/static/viewer/, not committed), served as
# static/viewer/…; listed only once built, so a fresh checkout passes `check --deploy`.
STATICFILES_DIRS = [path for path in (PACKAGE_DIR / "static",) if path.is_dir()]
MEDIA_URL = "media/"  # never served directly: files go through permission-checked views
MEDIA_ROOT = Path(os.environ.get("ZHIJIAN_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads stream to a temporary file through one handler that hashes, counts and caps them.
FILE_UPLOAD_HANDLERS = ["zhijian.apps.review.uploads.CheckedUploadHandler"]
FILE_UPLOAD_TEMP_DIR = None
ZHIJIAN_MAX_MODEL_BYTES = int(os.environ.get("ZHIJIAN_MAX_MODEL_BYTES", DEFAULT_MAX_BYTES))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# Celery: Redis in production and CI; with no services, kombu's SQLAlchemy transport over SQLite.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", f"sqla+sqlite:///{DATA_DIR / 'celery-broker.sqlite3'}")
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", f"db+sqlite:///{DATA_DIR / 'celery-results.sqlite3'}"
)
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged when it ends, so a lost worker loses nothing
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # …and its task goes back to the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("ZHIJIAN_WORKER_MAX_TASKS_PER_CHILD", "20"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("ZHIJIAN_TASK_TIME_LIMIT_S", "1800"))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXTENDED = False
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged task after the visibility timeout: longer than any task.
# (kombu's SQLAlchemy transport passes its options to create_engine, so none for it.)
# A worker that dies mid-task leaves it unacknowledged; another worker restores it once the
# timeout has passed. ZHIJIAN_BROKER_TRANSPORT_OPTIONS (JSON) adds or overrides options, e.g.
# {"visibility_timeout": 5, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}.
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 600, **json.loads(os.environ.get("ZHIJIAN_BROKER_TRANSPORT_OPTIONS", "{}"))}
    if CELERY_BROKER_URL.startswith("redis")
    else {}
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIJIAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

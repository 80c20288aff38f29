"""Production: PostgreSQL, Redis, HTTPS only. ``manage.py check --deploy`` is clean with it."""

import json
import os

from django.core.exceptions import ImproperlyConfigured

from zhijian.config.settings.base import *  # noqa: F403
from zhijian.config.settings.base import env_bool, env_list
from zhijian.config.settings.storage import default_storage_from_env

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random string of 50+ characters")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# Sessions read from the shared Redis cache (written through to the database), so a request
# costs no session query. Only with a cache all processes share: with per-process memory a
# session ended in one process (log-out) would stay valid in the others' copies.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":  # noqa: F405
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STORAGES = {
    # Uploaded files: the local disk, or an S3-compatible bucket with ZHIJIAN_S3_BUCKET (storage.py).
    "default": default_storage_from_env(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Several worker machines: every task goes to the default queue ("celery") unless routed.
# ZHIJIAN_CELERY_ROUTES maps task names (globs) to queues, e.g.
# {"zhijian.apps.review.tasks.*": "checks", "zhijian.apps.prefab.tasks.generate_label_sheet": "documents"};
# each machine then consumes the queues it is sized for (celery worker -Q checks,celery).
_ROUTES = json.loads(os.environ.get("ZHIJIAN_CELERY_ROUTES", "") or "{}")
if not isinstance(_ROUTES, dict) or not all(isinstance(q, str) and q for q in _ROUTES.values()):
    raise ImproperlyConfigured('ZHIJIAN_CELERY_ROUTES must be a JSON object {"task name or glob": "queue"}')
CELERY_TASK_ROUTES = {pattern: {"queue": queue} for pattern, queue in _ROUTES.items()}

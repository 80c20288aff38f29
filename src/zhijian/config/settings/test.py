"""Tests: tasks run in-process unless a test starts a real worker; fast password hashing."""

import os
import uuid
from pathlib import Path

from zhijian.config.settings.base import *  # noqa: F403
from zhijian.config.settings.base import DATA_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("ZHIJIAN_MEDIA_ROOT", DATA_DIR / "test-media"))
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
# A queue of this test session's own: when a test starts a real worker on a shared Redis,
# other sessions' workers never take its tasks (nor it theirs).
CELERY_TASK_DEFAULT_QUEUE = f"zhijian-test-{uuid.uuid4().hex[:12]}"
CELERY_RESULT_BACKEND = "cache+memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
# No persistent connections: the live server's request threads must not keep the test database open.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

"""Production sessions: read from the shared Redis cache when there is one, else from the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SHOW = ("from django.conf import settings; from django.core.cache import caches; cache = caches['default']; "
        "cache.set('zhijian-session-engine-test', 1, 5); "
        "print(settings.SESSION_ENGINE, type(cache).__name__, cache.get('zhijian-session-engine-test'))")


def _engine(tmp_path: Path, **env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "ZHIJIAN_REDIS_CACHE_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="zhijian.config.settings.prod", DJANGO_SECRET_KEY="s3cr!t" * 10,
                       ZHIJIAN_DATA_DIR=str(tmp_path), **env)
    result = subprocess.run([sys.executable, str(REPO / "manage.py"), "shell", "-c", SHOW], capture_output=True,
                            text=True, env=environment, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()[-1].split()  # after shell's "N objects imported" line


def test_sessions_are_cached_in_redis_in_production(tmp_path: Path) -> None:
    redis = os.environ.get("ZHIJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    assert _engine(tmp_path, ZHIJIAN_REDIS_CACHE_URL=redis) == [
        "django.contrib.sessions.backends.cached_db", "RedisCache", "1"]


def test_sessions_stay_in_the_database_with_a_per_process_cache(tmp_path: Path) -> None:
    # A log-out in one process must end the session in all: no per-process session copies.
    assert _engine(tmp_path) == ["django.contrib.sessions.backends.db", "LocMemCache", "1"]

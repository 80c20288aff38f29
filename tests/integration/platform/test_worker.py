"""A real Celery worker process on Redis checks a submitted model (CI runs Redis; skipped without it).

The test process plays the web server: it commits the upload and the submission, and the
submit service enqueues the check on commit. A separate ``celery worker`` process — the
same command ``make run`` starts, here with the Redis broker — picks it up, reads the
stored file and writes the findings into the same test database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.integration.platform.conftest import load_city, upload_file

REPO = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("ZHIJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not _redis_reachable(REDIS_URL), reason=f"no Redis at {REDIS_URL} (CI starts one)"),
]


def _database_env() -> dict[str, str]:
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"ZHIJIAN_DB": "sqlite", "ZHIJIAN_SQLITE_PATH": str(params["NAME"])}
    auth = quote(params["USER"] or "") + (":" + quote(params["PASSWORD"]) if params["PASSWORD"] else "")
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return {"ZHIJIAN_DATABASE_URL": f"postgres://{auth}@{host}/{params['NAME']}"}


@pytest.fixture
def redis_celery(settings: Any) -> Iterator[None]:
    """Point this process's Celery app at Redis (not eager), restore it afterwards."""
    from zhijian.config.celery import app

    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    assert app.conf.task_default_queue.startswith("zhijian-test-")  # this session's own queue
    _rebind(app, task_always_eager=False, broker_url=REDIS_URL, result_backend=None)
    yield
    queue = _queue()
    with app.connection_for_write() as connection:  # leave nothing of this session in Redis
        connection.default_channel.client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    _rebind(app, **saved)


def _rebind(app: Any, **conf: Any) -> None:
    """Change the broker of a running app: Celery and kombu cache pools bound to the old one."""
    app.conf.update(**conf)
    app._pool = None
    app.amqp._producer_pool = None


def _queue() -> str:
    from zhijian.config.celery import app

    return str(app.conf.task_default_queue)


def start_worker(settings: Any, log_path: Path, **extra_env: str) -> subprocess.Popen[bytes]:
    """``celery worker`` as ``make run`` starts it, on Redis, over this session's test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhijian.config.settings.dev",
        "DJANGO_DEBUG": "0",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "ZHIJIAN_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **_database_env(),
        **extra_env,
    }
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "zhijian.config.celery:app", "worker", "--pool=solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO", "-Q", _queue()],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@pytest.fixture
def worker(redis_celery: None, settings: Any, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = start_worker(settings, tmp_path / "worker.log")
    yield process
    stop(process)


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def test_a_real_worker_on_redis_checks_the_submitted_model(
    committed: dict[str, Any], worker: subprocess.Popen[bytes], failing_model: Path, tmp_path: Path
) -> None:
    from zhijian.apps.review import services
    from zhijian.apps.review.models import CheckRun, Finding, Submission

    city = load_city(committed)
    designer = city.user("designer_a")
    submission = Submission.objects.get(id=committed["draft_a"])
    services.upload_model_version(designer, submission.id, upload_file(failing_model))
    services.transition_submission(designer, submission.id, "submit", "worker test")  # enqueued on commit

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        submission.refresh_from_db()
        if submission.state in ("in_review", "returned") or worker.poll() is not None:
            break
        time.sleep(0.5)
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert submission.state == "in_review", log[-3000:]
    check = CheckRun.objects.get(round__submission=submission)
    assert check.status == "done" and check.attempts == 1 and check.progress == 100
    assert Finding.objects.filter(check_run=check, rule_id="GB50096-2011-5.2.1").count() == 1
    assert "succeeded" in log and "checked" in log


def test_killing_a_worker_mid_check_loses_nothing(
    committed: dict[str, Any], redis_celery: None, settings: Any, tmp_path: Path
) -> None:
    """SIGKILL the worker while the check runs; a second worker restores the unacknowledged task
    (short visibility timeout here) and the check completes once, with no duplicate findings."""
    from benchmarks.large_model import ensure_large_model

    from zhijian.apps.audit.models import AuditEntry
    from zhijian.apps.review import services
    from zhijian.apps.review.models import CheckRun, Finding, Submission

    tower = ensure_large_model(storeys=24, flats=6)  # a check long enough to be interrupted
    city = load_city(committed)
    designer = city.user("designer_a")
    submission = Submission.objects.get(id=committed["draft_a"])
    restore_fast = '{"visibility_timeout": 4, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}'
    log = tmp_path / "workers.log"
    first = start_worker(settings, log, ZHIJIAN_BROKER_TRANSPORT_OPTIONS=restore_fast)
    second = None
    try:
        services.upload_model_version(designer, submission.id, upload_file(tower))
        services.transition_submission(designer, submission.id, "submit", "kill test")

        def running() -> bool:
            return CheckRun.objects.filter(round__submission=submission, status="running").exists()

        wait_for(running, 120, "the first worker to start the check")
        first.kill()  # SIGKILL: no clean-up, no acknowledgement
        first.wait(timeout=20)
        check = CheckRun.objects.get(round__submission=submission)
        assert check.status == "running" and check.attempts == 1
        submission.refresh_from_db()
        assert submission.state == "checking"

        second = start_worker(settings, log, ZHIJIAN_BROKER_TRANSPORT_OPTIONS=restore_fast)

        def finished() -> bool:
            return CheckRun.objects.filter(round__submission=submission, status__in=("done", "failed")).exists()

        wait_for(finished, 180, "the second worker to finish the check")
    finally:
        stop(first)
        if second is not None:
            stop(second)
    check = CheckRun.objects.get(round__submission=submission)
    submission.refresh_from_db()
    assert (check.status, check.attempts, submission.state) == ("done", 2, "in_review"), log.read_text()[-3000:]
    assert Finding.objects.filter(check_run=check).count() == len(check.report["findings"]) > 0
    moves = list(AuditEntry.objects.filter(object_id=str(submission.id), action__in=(
        "submission.start_check", "submission.finish_check")).values_list("action", flat=True))
    assert sorted(moves) == ["submission.finish_check", "submission.start_check"]


def test_a_kept_page_shows_what_a_worker_wrote(
    committed: dict[str, Any], redis_celery: None, settings: Any, failing_model: Path, tmp_path: Path
) -> None:
    """Kept pages (apps/common/page_cache.py) across processes: the reviewer's queue is kept
    while the submission waits for its check; the worker's writes move the shared data
    version, so the next request shows the checked submission, not the kept page."""
    from django.core.cache import cache
    from django.test import Client

    from zhijian.apps.review import services
    from zhijian.apps.review.models import Submission

    pages = REDIS_URL.rsplit("/", 1)[0] + "/11"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": pages}}
    settings.PAGE_CACHE = True
    cache.clear()
    city = load_city(committed)
    designer = city.user("designer_a")
    submission = Submission.objects.get(id=committed["draft_a"])
    services.upload_model_version(designer, submission.id, upload_file(failing_model))
    services.transition_submission(designer, submission.id, "submit", "kept page test")  # enqueued; no worker yet
    client = Client()
    client.force_login(city.user("reviewer_a"))

    def row() -> str:
        html = client.get("/").content.decode()
        return next(r for r in html.split("<tr") if str(submission.id) in r)

    assert "state-submitted" in row() and "state-submitted" in row()  # built, then kept
    worker = start_worker(settings, tmp_path / "worker.log", ZHIJIAN_REDIS_CACHE_URL=pages)
    try:
        wait_for(lambda: Submission.objects.filter(id=submission.id, state="in_review").exists(), 90,
                 "the worker to check the submission")
    finally:
        stop(worker)
    assert "state-in_review" in row()

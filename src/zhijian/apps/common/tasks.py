"""What the apps' Celery tasks share: a stored file on local disk, and retry-or-fail after an
unexpected error (the known failures, such as an unreadable model, are each task's own)."""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

RETRY_COUNTDOWN = 10  # seconds before a redelivered attempt


@contextlib.contextmanager
def local_path(name: str) -> Iterator[Path]:
    """A path on local disk for a stored file (a temporary copy when storage is remote)."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, default_storage.open(name, "rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def retry_or_fail(task: Any, exc: Exception, *, log: logging.Logger, what: str, fail: Callable[[str], object]) -> str:
    """Retry ``task`` after ``exc`` while it has retries left (never when run eagerly, as in tests
    and the demo); after the last one record the failure through ``fail`` and return ``"failed"``.

    ``what`` names the work in the log ("check of <id>"); ``fail`` receives the error as text.
    """
    if task.request.retries < task.max_retries and not task.request.is_eager:
        log.warning("%s failed, retrying: %s", what, exc)
        raise task.retry(exc=exc, countdown=RETRY_COUNTDOWN) from exc
    log.exception("%s failed", what)
    fail(f"{type(exc).__name__}: {exc}")
    return "failed"

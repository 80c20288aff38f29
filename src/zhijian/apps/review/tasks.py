"""Background work of the review app. Tasks take ids, are idempotent and acknowledged late.

``check_model_version`` indexes a stored model and runs the rule packs over it, then stores
the canonical report and its findings. If the worker dies mid-check the broker redelivers
the task (``acks_late`` + ``reject_on_worker_lost``) and it starts again from the stored
file; a finished check is never repeated.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from zhijian.apps.common.tasks import local_path, retry_or_fail
from zhijian.apps.review import services
from zhijian.apps.review.models import ModelVersion
from zhijian.domain.errors import InputError

log = logging.getLogger(__name__)

MAX_RETRIES = 2


class _Progress:
    """Throttled progress: the rules phase maps to 20–95 %."""

    def __init__(self, check_run_id: Any) -> None:
        self.check_run_id = check_run_id
        self.last = 0.0

    def __call__(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        percent = 20 + int(75 * done / max(total, 1))
        services.report_check_progress(self.check_run_id, percent, label)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def check_model_version(self: Any, model_version_id: str) -> str:
    """Check one model version; returns what happened (for logs)."""
    from zhijian.domain.bim.index import load_index
    from zhijian.domain.review.engine import run_review
    from zhijian.domain.review.packs import select_packs

    job = services.begin_check(model_version_id)
    if job is None:
        return "nothing to do"
    try:
        services.report_check_progress(job.check_run_id, 5, "indexing")
        with local_path(job.file_name) as path:
            index = load_index(path)
        services.report_check_progress(job.check_run_id, 20, "checking")
        report = run_review(index, select_packs(job.pack_ids), building_use=job.building_use,
                            progress=_Progress(job.check_run_id))
        _name_report_file(report, model_version_id)
    except InputError as exc:
        services.fail_check(job.check_run_id, f"the model could not be read: {exc}")
        return "model unreadable"
    except SoftTimeLimitExceeded:
        services.fail_check(job.check_run_id, "the check took longer than the time limit")
        return "timed out"
    except Exception as exc:
        return retry_or_fail(self, exc, log=log, what=f"check of {model_version_id}",
                             fail=lambda error: services.fail_check(job.check_run_id, f"the check failed: {error}"))
    services.complete_check(job.check_run_id, report)
    return "checked"


def _name_report_file(report: dict[str, Any], model_version_id: str) -> None:
    """The report names the file the designer uploaded, not the storage path."""
    version = ModelVersion.objects.filter(id=model_version_id).only("original_name").first()
    if version is not None:
        report.setdefault("model", {})["file"] = version.original_name

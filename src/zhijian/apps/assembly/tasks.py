"""Background work of the assembly app. Tasks take ids, are idempotent and acknowledged late.

``evaluate_assembly_rate_task`` indexes the stored model and runs the domain calculator
(:func:`zhijian.domain.prefab.assembly_rate.evaluate_assembly_rate`) with the stored
declaration; an as-built evaluation runs it twice on the same index: the design pass, then
the pass in which precast components without an installation record are not credited
(:func:`zhijian.domain.prefab.as_built.as_built_overrides`). The canonical result is stored
as it is. A redelivered task starts again from the stored file; a finished evaluation is
never repeated.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from zhijian.apps.assembly import services
from zhijian.apps.common.tasks import local_path, retry_or_fail
from zhijian.domain.errors import InputError

log = logging.getLogger(__name__)

MAX_RETRIES = 2


def run_evaluation(job: services.EvaluationJob) -> tuple[dict[str, Any], dict[str, int]]:
    """The canonical result for a job, and the installation counts of an as-built pass."""
    from zhijian.domain.bim.index import load_index
    from zhijian.domain.prefab.as_built import as_built_overrides
    from zhijian.domain.prefab.assembly_rate import evaluate_assembly_rate
    from zhijian.domain.prefab.declaration import NO_DECLARATIONS, parse_declarations
    from zhijian.domain.prefab.scoring_table import load_table

    table = load_table()
    declarations = (
        parse_declarations(job.declaration_text, job.declaration_format, table, job.declaration_name)
        if job.declaration_text
        else NO_DECLARATIONS
    )
    with local_path(job.file_name) as path:
        index = load_index(path)
    building = job.ifc_building or None
    result = evaluate_assembly_rate(index, table=table, building=building, declarations=declarations)
    counts: dict[str, int] = {}
    if job.installed_guids is not None:
        inputs = as_built_overrides(result, table, job.installed_guids)
        result = evaluate_assembly_rate(
            index, table=table, building=building, declarations=declarations, overrides=inputs.overrides
        )
        counts = {"installed": inputs.installed, "not_installed": inputs.not_installed}
    data = result.to_dict()
    if data.get("model") is not None:
        data["model"]["file"] = job.original_name  # the designer's file name, not the storage path
    return data, counts


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES, ignore_result=True)
def evaluate_assembly_rate_task(self: Any, evaluation_id: str) -> str:
    """Evaluate one stored evaluation request; returns what happened (for logs)."""
    job = services.begin_evaluation(evaluation_id)
    if job is None:
        return "nothing to do"
    try:
        data, counts = run_evaluation(job)
    except InputError as exc:  # unreadable model, unknown IFC building, bad declaration
        services.fail_evaluation(job.evaluation_id, str(exc), code=exc.code)
        return exc.code
    except SoftTimeLimitExceeded:
        services.fail_evaluation(job.evaluation_id, "the evaluation took longer than the time limit", code="timeout")
        return "timed out"
    except Exception as exc:
        return retry_or_fail(
            self, exc, log=log, what=f"assembly-rate evaluation {evaluation_id}",
            fail=lambda error: services.fail_evaluation(job.evaluation_id, f"the evaluation failed: {error}"),
        )
    evaluation = services.complete_evaluation(
        job.evaluation_id, data, installed=counts.get("installed"), not_installed=counts.get("not_installed")
    )
    return evaluation.status if evaluation is not None else "nothing to do"

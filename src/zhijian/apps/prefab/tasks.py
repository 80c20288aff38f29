"""Background work of the prefab app. Tasks take ids, are idempotent and acknowledged late.

``build_component_registry`` indexes a stored model version and reads its precast components
into the building's registry (codes issued once, kept across revisions). ``generate_label_sheet``
draws an A4 PDF of QR labels. If a worker dies mid-task the broker redelivers it and it starts
again; a finished one is never repeated.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.core.files.storage import default_storage

from zhijian.apps.common.tasks import local_path, retry_or_fail
from zhijian.apps.prefab import services
from zhijian.apps.prefab.models import Component, LabelSheet
from zhijian.domain.errors import InputError

log = logging.getLogger(__name__)

MAX_RETRIES = 2


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES, ignore_result=True)
def build_component_registry(self: Any, build_id: str) -> str:
    """Read one model version into its registry; returns what happened (for logs)."""
    from zhijian.domain.bim.index import load_index
    from zhijian.domain.prefab.component_registry import components_from_index

    job = services.begin_registry_build(build_id)
    if job is None:
        return "nothing to do"
    try:
        with local_path(job.file_name) as path:
            components = components_from_index(load_index(path))
        services.complete_registry_build(job.build_id, components)
    except InputError as exc:
        services.fail_registry_build(job.build_id, f"the model could not be read: {exc}")
        return "model unreadable"
    except SoftTimeLimitExceeded:
        services.fail_registry_build(job.build_id, "the registry build took longer than the time limit")
        return "timed out"
    except Exception as exc:
        return retry_or_fail(
            self, exc, log=log, what=f"registry build {build_id}",
            fail=lambda error: services.fail_registry_build(job.build_id, f"the registry build failed: {error}"),
        )
    return "built"


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES, ignore_result=True)
def generate_label_sheet(self: Any, sheet_id: str) -> str:
    """Draw one label sheet and store it; returns what happened (for logs)."""
    from zhijian.domain.prefab.labels import Label, component_url, label_sheet_pdf

    sheet = services.begin_label_sheet(sheet_id)
    if sheet is None:
        return "nothing to do"
    try:
        rows = {
            c.code: c
            for c in Component.objects.filter(code__in=sheet.codes).select_related("project", "registry__building")
        }
        labels = [
            Label(
                code=code, url=component_url(sheet.base_url, code), type_zh=_type_zh(rows[code].type_code),
                project=rows[code].project.name, building=rows[code].registry.building.name,
                storey=rows[code].storey_name or rows[code].storey_label,
                concrete_grade=rows[code].concrete_grade or None, weight_kg=rows[code].weight_kg,
            )
            for code in sheet.codes if code in rows
        ]
        with tempfile.TemporaryDirectory() as tmp:
            info = label_sheet_pdf(labels, Path(tmp) / "labels.pdf")
            with info.path.open("rb") as handle:
                name = default_storage.save(LabelSheet.file.field.generate_filename(sheet, "labels.pdf"), File(handle))
        if services.complete_label_sheet(sheet.id, name, info.pages, info.labels) is None:
            default_storage.delete(name)  # finished meanwhile by a redelivered copy of this task
    except InputError as exc:
        services.fail_label_sheet(sheet.id, str(exc))
        return "refused"
    except Exception as exc:
        return retry_or_fail(
            self, exc, log=log, what=f"label sheet {sheet_id}",
            fail=lambda error: services.fail_label_sheet(sheet.id, error),
        )
    return "drawn"


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def update_as_built(registry_id: str) -> str:
    """Recompute the building's as-built assembly rate after installation events (idempotent:
    the same installed components give the evaluation already made)."""
    evaluation = services.recompute_as_built(registry_id)
    return "no design evaluation" if evaluation is None else f"as built: {evaluation.id}"


def _type_zh(type_code: str) -> str:
    from zhijian.domain.prefab.coding import component_types

    found = component_types().get(type_code)
    return found.zh if found else type_code

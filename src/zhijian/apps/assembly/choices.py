"""Choice lists of the assembly app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DESIGN = "design", _("Pre-evaluation (design stage)")  # 预评价
    AS_BUILT = "as_built", _("As built")  # 竣工（按安装记录）


class EvaluationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    NOT_EVALUABLE = "not_evaluable", _("Not evaluable")  # a required item could not be evaluated
    FAILED = "failed", _("Failed")  # the model could not be read, or the building is unknown


LIVE_STATUSES = (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING, EvaluationStatus.DONE, EvaluationStatus.NOT_EVALUABLE)
FINISHED_STATUSES = (EvaluationStatus.DONE, EvaluationStatus.NOT_EVALUABLE)

GRADES = ("A", "AA", "AAA")

DECLARATION_FORMATS = ("toml", "json")

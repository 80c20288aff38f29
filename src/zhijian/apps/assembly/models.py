"""Evaluation: one assembly-rate calculation of a building from one model version, at one stage."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from zhijian.apps.assembly.choices import (
    DECLARATION_FORMATS,
    GRADES,
    LIVE_STATUSES,
    EvaluationStatus,
    Stage,
)
from zhijian.apps.common.models import PublicModel, TimestampedModel


class Evaluation(PublicModel, TimestampedModel):
    """An assembly-rate evaluation (装配率评价) of a building from a stored model version.

    ``result`` is the domain's canonical JSON (``AssemblyRateResult.to_dict()``, result_version
    1); the columns beside it (P, grade, Q1–Q4, flags) are copies for lists and filters. Inputs
    are kept with it: the declaration file as filed and who filed it, the IFC building asked
    for, and for an as-built evaluation the installed GlobalIds it was computed from. An
    evaluation is never recomputed in place: new inputs make a new evaluation.
    """

    building = models.ForeignKey(
        "projects.Building", on_delete=models.PROTECT, related_name="assembly_evaluations", verbose_name=_("building")
    )
    model_version = models.ForeignKey(
        "review.ModelVersion", on_delete=models.PROTECT, related_name="assembly_evaluations",
        verbose_name=_("model version"),
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DESIGN)
    status = models.CharField(
        _("status"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.QUEUED
    )
    # Inputs.
    ifc_building = models.CharField(_("IFC building asked for"), max_length=255, blank=True)  # "" = the only one
    inputs_sha256 = models.CharField(max_length=64)  # what makes two requests the same evaluation
    declaration_name = models.CharField(_("declaration file"), max_length=255, blank=True)
    declaration_format = models.CharField(max_length=8, blank=True)
    declaration_text = models.TextField(_("declaration"), blank=True)
    declaration_sha256 = models.CharField(max_length=64, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("declaration filed by"),
    )
    installed_guids = models.JSONField(_("installed components (GlobalIds)"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="as_built_evaluations", null=True, blank=True,
        verbose_name=_("design evaluation recomputed"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("requested by"),
    )
    requested_by_system = models.CharField(max_length=32, blank=True)  # e.g. "traceability", "seed"
    # Outcome.
    table_id = models.CharField(_("scoring table"), max_length=64, blank=True)
    table_version = models.PositiveIntegerField(_("scoring table version"), null=True, blank=True)
    table_edition = models.CharField(max_length=64, blank=True)
    building_label = models.CharField(_("IFC building evaluated"), max_length=255, blank=True)
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    p = models.DecimalField(_("assembly rate P (%)"), max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=3, blank=True)
    recognised = models.BooleanField(_("prefabricated building"), null=True, blank=True)
    q1 = models.DecimalField("Q1", max_digits=5, decimal_places=1, null=True, blank=True)
    q2 = models.DecimalField("Q2", max_digits=5, decimal_places=1, null=True, blank=True)
    q3 = models.DecimalField("Q3", max_digits=5, decimal_places=1, null=True, blank=True)
    q4 = models.DecimalField("Q4", max_digits=5, decimal_places=1, null=True, blank=True)
    scores = models.JSONField(default=dict, blank=True)  # every part score the table names
    advisory = models.BooleanField(_("advisory"), default=False)
    complete = models.BooleanField(_("complete"), default=False)
    blocking = models.JSONField(default=list, blank=True)  # required items that could not be evaluated
    not_evaluated = models.JSONField(default=list, blank=True)
    installed_count = models.PositiveIntegerField(null=True, blank=True)  # credited components installed
    not_installed_count = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    tenant_project = "building__project_id"

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("assembly-rate evaluation")
        verbose_name_plural = _("assembly-rate evaluations")
        indexes = [models.Index(fields=("building", "stage", "status", "-finished_at"), name="evaluation_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="evaluation_stage_known"),
            models.CheckConstraint(condition=Q(status__in=EvaluationStatus.values), name="evaluation_status_known"),
            models.CheckConstraint(condition=Q(grade="") | Q(grade__in=GRADES), name="evaluation_grade_known"),
            models.CheckConstraint(condition=Exact(Length("inputs_sha256"), 64), name="evaluation_inputs_hash"),
            models.CheckConstraint(condition=Q(p__isnull=True) | Q(p__gte=0, p__lte=100), name="evaluation_p_range"),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.DONE)
                | Q(result__isnull=False, finished_at__isnull=False, p__isnull=False, recognised__isnull=False)
                & ~Q(table_id=""),
                name="evaluation_done_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.NOT_EVALUABLE)
                | Q(result__isnull=False, finished_at__isnull=False, p__isnull=True) & ~Q(message=""),
                name="evaluation_not_evaluable_says_why",
            ),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.FAILED) | ~Q(message=""), name="evaluation_failure_says_why"
            ),
            models.CheckConstraint(
                condition=Q(grade="") | Q(recognised=True, status=EvaluationStatus.DONE),
                name="evaluation_grade_needs_recognition",
            ),
            models.CheckConstraint(
                condition=Q(stage=Stage.DESIGN, installed_guids__isnull=True, based_on__isnull=True)
                | Q(stage=Stage.AS_BUILT, installed_guids__isnull=False, based_on__isnull=False),
                name="evaluation_as_built_has_installations",
            ),
            models.CheckConstraint(
                condition=Q(declaration_text="", declaration_format="")
                | Q(declaration_format__in=DECLARATION_FORMATS, declared_by__isnull=False) & ~Q(declaration_text=""),
                name="evaluation_declaration_filed",
            ),
            models.CheckConstraint(
                condition=Q(requested_by__isnull=False) | ~Q(requested_by_system=""),
                name="evaluation_requester_known",
            ),
            # One live evaluation per building × model version × stage × inputs: asking again
            # returns it; only a failed one may be asked for again.
            models.UniqueConstraint(
                fields=("building", "model_version", "stage", "inputs_sha256"),
                condition=Q(status__in=[str(s) for s in LIVE_STATUSES]),
                name="evaluation_unique_live",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} · {self.get_stage_display()} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (EvaluationStatus.DONE, EvaluationStatus.NOT_EVALUABLE, EvaluationStatus.FAILED)

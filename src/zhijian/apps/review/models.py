"""Model versions, submissions, rounds, check runs, findings, comments and waivers."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from zhijian.apps.common.models import PublicModel, TimestampedModel
from zhijian.apps.projects.choices import BuildingUse
from zhijian.apps.review.choices import (
    REVIEW_CLASSES,
    CheckStatus,
    Decision,
    FindingStatus,
    SubmissionState,
)
from zhijian.domain.review.disciplines import default_scope


class Submission(PublicModel, TimestampedModel):
    """A building's construction drawings and model sent for review (施工图BIM审查送审)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="submissions")
    building = models.ForeignKey(
        "projects.Building", on_delete=models.PROTECT, related_name="submissions", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    building_use = models.CharField(
        _("building use"), max_length=32, choices=BuildingUse.choices, default=BuildingUse.RESIDENTIAL
    )
    pack_ids = models.JSONField(_("rule packs"), default=list, blank=True)  # empty: every pack
    # The time-limit class of deadlines.review_deadline (大型 15 / 中型及以下 10 working days …).
    review_class = models.CharField(_("review class"), max_length=32, choices=REVIEW_CLASSES,
                                    default="medium_or_small")
    # The review disciplines in scope (审查专业), set by the review agency.
    disciplines = models.JSONField(_("disciplines in scope"), default=default_scope, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    tenant_project = "project_id"

    class Meta:
        ordering = ("-updated_at",)
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SubmissionState.values), name="submission_state_known"),
            models.CheckConstraint(condition=~Q(title=""), name="submission_title_present"),
        ]

    def __str__(self) -> str:
        return self.title


def model_upload_path(instance: ModelVersion, filename: str) -> str:
    suffix = ".ifczip" if instance.zipped else ".ifc"
    return f"models/{instance.submission_id}/{instance.id}{suffix}"


class ModelVersion(PublicModel):
    """One uploaded IFC file. Immutable once stored; a revision is a new version."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="model_versions")
    sequence = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=model_upload_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.BigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    schema = models.CharField(_("IFC schema"), max_length=32)  # as declared, e.g. IFC4X3_ADD2
    schema_family = models.CharField(max_length=8)  # IFC2X3 / IFC4 / IFC4X3
    zipped = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_project = "submission__project_id"

    class Meta:
        ordering = ("submission", "-sequence")
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        constraints = [
            models.UniqueConstraint(fields=("submission", "sequence"), name="modelversion_unique_sequence"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="modelversion_sequence_positive"),
            models.CheckConstraint(condition=Q(size_bytes__gt=0), name="modelversion_size_positive"),
            models.CheckConstraint(condition=Exact(Length("sha256"), 64), name="modelversion_sha256_length"),
            models.CheckConstraint(
                condition=Q(schema_family__in=["IFC2X3", "IFC4", "IFC4X3"]), name="modelversion_schema_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.sequence}"


class Round(PublicModel):
    """One pass of review: the submitted model, its check run, and the reviewer's decision."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField(_("round"))
    model_version = models.OneToOneField(ModelVersion, on_delete=models.PROTECT, related_name="round")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default="", blank=True)
    opinion = models.TextField(_("review opinion"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The last day of this round's review (deadlines.review_deadline from the submission day);
    # advisory when it rests on facts that are not V.
    due_on = models.DateField(_("review due"), null=True, blank=True)
    due_advisory = models.BooleanField(default=False)
    # The letter issued with the decision: its number, drawn from LetterCounter, never reused.
    letter_agency = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    letter_year = models.PositiveSmallIntegerField(null=True, blank=True)
    letter_serial = models.PositiveIntegerField(null=True, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=100, blank=True)
    # Who signs the letter, as assigned when the round was decided: [{discipline, reviewer, checker}].
    signatories = models.JSONField(default=list, blank=True)
    # This round's findings against the previous round's once its check is done: {"new": n,
    # "changed": n, "still_open": n, "resolved": n} (round 1: every finding new). Derived,
    # stored so that the review queue orders by delta without reading findings; null when not
    # (yet) computed, and then the queue computes it (services.store_diff_counts keeps it).
    diff_counts = models.JSONField(null=True, blank=True, editable=False)

    tenant_project = "submission__project_id"

    class Meta:
        ordering = ("submission", "number")
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [
            models.UniqueConstraint(fields=("submission", "number"), name="round_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="round_decision_known"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="round_decision_signed",
            ),
            models.CheckConstraint(condition=~Q(decision="returned") | ~Q(opinion=""), name="round_return_has_opinion"),
            models.UniqueConstraint(
                fields=("letter_agency", "decision", "letter_year", "letter_serial"),
                condition=Q(letter_serial__isnull=False), name="round_letter_serial_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} #{self.number}"


class CheckRun(PublicModel):
    """The automated check of a round's model: status, progress, and the canonical report."""

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="check_run")
    status = models.CharField(_("status"), max_length=16, choices=CheckStatus.choices, default=CheckStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)  # DESIGN.md report v1
    pack_versions = models.JSONField(default=list, blank=True)  # [{"id", "version"}]
    summary = models.JSONField(default=dict, blank=True)

    tenant_project = "round__submission__project_id"

    class Meta:
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="checkrun_progress_range"),
            models.CheckConstraint(condition=Q(status__in=CheckStatus.values), name="checkrun_status_known"),
            models.CheckConstraint(
                condition=~Q(status=CheckStatus.DONE) | Q(report__isnull=False, finished_at__isnull=False),
                name="checkrun_done_has_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} check ({self.status})"


class Finding(PublicModel):
    """One failed or unverifiable check of one element, as in the report's ``findings``."""

    check_run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="findings")
    ordinal = models.PositiveIntegerField()  # position in the report
    rule_id = models.CharField(_("rule"), max_length=100)
    rule_version = models.CharField(_("rule version"), max_length=32)
    standard = models.CharField(_("standard"), max_length=100, blank=True)
    clause = models.CharField(_("clause"), max_length=100, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    advisory = models.BooleanField(_("advisory"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=FindingStatus.choices)
    guid = models.CharField("GlobalId", max_length=64, blank=True, db_index=True)
    ifc_class = models.CharField(_("IFC class"), max_length=64, blank=True)
    name = models.CharField(_("element"), max_length=255, blank=True)
    storey = models.CharField(_("storey"), max_length=255, blank=True)
    measured = models.FloatField(_("measured"), null=True, blank=True)
    required = models.FloatField(_("required"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    message_zh = models.TextField(blank=True)
    message_en = models.TextField(blank=True)

    tenant_project = "check_run__round__submission__project_id"

    class Meta:
        ordering = ("check_run", "ordinal")
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=("check_run", "rule_id", "guid"), name="finding_key")]
        constraints = [
            models.UniqueConstraint(fields=("check_run", "ordinal"), name="finding_unique_ordinal"),
            models.CheckConstraint(condition=Q(status__in=FindingStatus.values), name="finding_status_known"),
            models.CheckConstraint(condition=~Q(rule_id=""), name="finding_rule_present"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.guid}"

    def message(self, language: str) -> str:
        return self.message_en if language.startswith("en") else self.message_zh


class Waiver(PublicModel):
    """A reviewer's decision that a finding does not block approval, with the reason."""

    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="waiver")
    reason = models.TextField(_("reason"))
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_project = "finding__check_run__round__submission__project_id"

    class Meta:
        verbose_name = _("waiver")
        verbose_name_plural = _("waivers")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="waiver_reason_present")]

    def __str__(self) -> str:
        return f"waiver of {self.finding}"


class Comment(PublicModel):
    """A remark on an element (by GlobalId) or on a finding, within a round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="comments")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="comments", null=True, blank=True)
    guid = models.CharField("GlobalId", max_length=64, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_project = "round__submission__project_id"

    class Meta:
        ordering = ("created_at",)
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_present"),
            models.CheckConstraint(condition=Q(finding__isnull=False) | ~Q(guid=""), name="comment_has_target"),
        ]

    def __str__(self) -> str:
        return self.body[:40]


class DisciplineAssignment(PublicModel):
    """The reviewer (审查人) and the checker (复核人) of one discipline of a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    discipline = models.CharField(_("discipline"), max_length=32)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("reviewer"),
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("checker"),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    tenant_project = "submission__project_id"

    class Meta:
        ordering = ("submission", "discipline")
        verbose_name = _("discipline assignment")
        verbose_name_plural = _("discipline assignments")
        constraints = [
            models.UniqueConstraint(fields=("submission", "discipline"), name="assignment_unique_discipline"),
            models.CheckConstraint(condition=~Q(reviewer=models.F("checker")), name="assignment_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} · {self.discipline}"


class LetterCounter(models.Model):
    """The last serial an agency issued for one kind of letter in one year (文书编号流水号).

    Incremented with an ``F()`` update inside the decision's transaction: the row lock
    orders concurrent decisions, so serials are consecutive and never handed out twice.
    """

    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)  # "opinion" or "approval" (letter_numbering.KINDS)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("letter counter")
        verbose_name_plural = _("letter counters")
        constraints = [
            models.UniqueConstraint(fields=("agency", "kind", "year"), name="lettercounter_unique"),
            models.CheckConstraint(condition=Q(kind__in=("opinion", "approval")), name="lettercounter_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind} {self.year}: {self.last_serial}"

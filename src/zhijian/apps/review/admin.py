from typing import Any

from django.contrib import admin

from zhijian.apps.review.models import (
    CheckRun,
    Comment,
    DisciplineAssignment,
    Finding,
    LetterCounter,
    ModelVersion,
    Round,
    Submission,
    Waiver,
)


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ("number", "model_version", "submitted_at", "due_on", "decision", "decided_by", "letter_number")
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "state", "updated_at")
    list_filter = ("state",)
    search_fields = ("title", "project__name", "project__code")
    readonly_fields = ("state",)  # states change only through the workflow service
    inlines = (RoundInline,)


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ("submission", "sequence", "original_name", "schema", "size_bytes", "created_at")
    readonly_fields = ("sha256", "size_bytes", "schema", "schema_family", "file")


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ("round", "status", "progress", "attempts", "finished_at")
    list_filter = ("status",)
    exclude = ("report",)


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("rule_id", "guid", "status", "mandatory", "measured", "required", "unit")
    list_filter = ("status", "mandatory")
    search_fields = ("rule_id", "guid")


admin.site.register(Waiver)
admin.site.register(Comment)


@admin.register(DisciplineAssignment)
class DisciplineAssignmentAdmin(admin.ModelAdmin):
    """Read-only: assignments are checked (agency, discipline, checker) by the review service."""

    list_display = ("submission", "discipline", "reviewer", "checker", "assigned_by", "updated_at")
    list_filter = ("discipline",)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(LetterCounter)
class LetterCounterAdmin(admin.ModelAdmin):
    """Read-only: a serial, once issued, is never handed out again."""

    list_display = ("agency", "kind", "year", "last_serial")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

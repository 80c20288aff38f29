from django.contrib import admin

from zhijian.apps.assembly.models import Evaluation


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read-only: evaluations are made by the service and the worker, never edited by hand."""

    list_display = ("building", "stage", "status", "p", "grade", "recognised", "advisory", "finished_at")
    list_filter = ("stage", "status", "grade", "recognised", "advisory")
    search_fields = ("building__name", "building__project__name", "building__project__code")
    exclude = ("result", "installed_guids")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

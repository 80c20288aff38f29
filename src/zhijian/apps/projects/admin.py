from django.contrib import admin

from zhijian.apps.projects.models import Building, Project, ProjectParticipant


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district", "created_at")
    search_fields = ("code", "name")
    list_filter = ("district",)
    inlines = (ParticipantInline, BuildingInline)

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zhijian.apps.accounts.models import ApiToken, Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = (MembershipInline,)
    list_display = ("username", "display_name", "email", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Zhijian", {"fields": ("display_name",)}))


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "org_type", "district", "active")
    list_filter = ("org_type", "district", "active")
    search_fields = ("name", "uscc")
    inlines = (MembershipInline,)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("key_hash", "prefix", "last_used_at")

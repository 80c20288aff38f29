"""Admin views of the prefab app: for looking, not for changing what the services own.

Codes, states and events change only through the services (registry builds, the event
service); lifecycle events are append-only, so the admin can neither change nor delete them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhijian.apps.prefab.models import (
    CancelledOrderLine,
    Component,
    ComponentRegistry,
    IngestBatch,
    LabelSheet,
    LifecycleEvent,
    OrderCancellation,
    OrderLine,
    Photo,
    ProductionOrder,
    RegistryBuild,
    Shipment,
    ShipmentItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ComponentRegistry)
class ComponentRegistryAdmin(ReadOnlyAdmin):
    list_display = ("building", "project", "building_number", "model_version", "preliminary", "updated_at")
    search_fields = ("project__name", "project__code", "building__name")


@admin.register(RegistryBuild)
class RegistryBuildAdmin(ReadOnlyAdmin):
    list_display = ("registry", "model_version", "status", "preliminary", "created_at", "finished_at")
    list_filter = ("status", "preliminary")


@admin.register(Component)
class ComponentAdmin(ReadOnlyAdmin):
    list_display = ("printed_code", "type_code", "storey", "state", "state_at", "project", "retired_at")
    list_filter = ("state", "type_code")
    search_fields = ("code", "guid", "name")


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fields = ("component", "storey", "due_date")
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(ProductionOrder)
class ProductionOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "project", "factory", "ordered_by", "created_at")
    search_fields = ("number", "project__name", "factory__name")
    inlines = (OrderLineInline,)


@admin.register(LifecycleEvent)
class LifecycleEventAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "component", "organization", "role", "event_time", "received_at")
    list_filter = ("event_type", "role")
    search_fields = ("component__code", "idempotency_key")
    list_select_related = ("component", "organization")


@admin.register(IngestBatch)
class IngestBatchAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "source", "organization", "recorded_by", "events", "applied", "duplicates",
                    "rejected")
    list_filter = ("source",)


class ShipmentItemInline(admin.TabularInline):
    model = ShipmentItem
    fields = ("component",)
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ("number", "project", "factory", "vehicle_plate", "departed_at", "delivered_at")
    search_fields = ("number", "vehicle_plate")
    inlines = (ShipmentItemInline,)


@admin.register(LabelSheet)
class LabelSheetAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "status", "labels", "pages", "created_at")
    list_filter = ("status",)


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ("key", "organization", "uploaded_by", "content_type", "size", "created_at")
    search_fields = ("key", "sha256", "organization__name")
    list_select_related = ("organization", "uploaded_by")


class CancelledLineInline(admin.TabularInline):
    model = CancelledOrderLine
    fields = ("component", "storey", "due_date")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrderCancellation)
class OrderCancellationAdmin(ReadOnlyAdmin):
    list_display = ("order", "organization", "cancelled_by", "lines", "whole_order", "created_at")
    search_fields = ("order__number", "reason")
    list_select_related = ("order", "organization", "cancelled_by")
    inlines = (CancelledLineInline,)

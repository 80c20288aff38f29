"""The prefab app's models, one module per aggregate; this module only re-exports them."""

from zhijian.apps.prefab.models.cancellations import CancelledOrderLine, OrderCancellation
from zhijian.apps.prefab.models.components import (
    Component,
    ComponentRegistry,
    ProjectNumbering,
    RegistryBuild,
)
from zhijian.apps.prefab.models.events import IngestBatch, LifecycleEvent
from zhijian.apps.prefab.models.labels import LabelSheet
from zhijian.apps.prefab.models.orders import OrderLine, ProductionOrder
from zhijian.apps.prefab.models.photos import Photo
from zhijian.apps.prefab.models.shipments import Shipment, ShipmentItem

__all__ = [
    "CancelledOrderLine",
    "Component",
    "ComponentRegistry",
    "IngestBatch",
    "LabelSheet",
    "LifecycleEvent",
    "OrderCancellation",
    "OrderLine",
    "Photo",
    "ProductionOrder",
    "ProjectNumbering",
    "RegistryBuild",
    "Shipment",
    "ShipmentItem",
]

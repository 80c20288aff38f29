"""Choice lists of the prefab app; states, events and roles are the domain lifecycle's."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijian.domain.prefab.lifecycle import EventType as DomainEvent
from zhijian.domain.prefab.lifecycle import OrgRole as DomainRole
from zhijian.domain.prefab.lifecycle import State as DomainState


class ComponentState(models.TextChoices):
    DESIGNED = DomainState.DESIGNED.value, _("Designed")
    ORDERED = DomainState.ORDERED.value, _("Ordered")
    IN_PRODUCTION = DomainState.IN_PRODUCTION.value, _("In production")
    PRODUCED = DomainState.PRODUCED.value, _("Produced, awaiting QC")
    QC_PASSED = DomainState.QC_PASSED.value, _("QC passed")
    QC_FAILED = DomainState.QC_FAILED.value, _("QC failed")
    REWORKED = DomainState.REWORKED.value, _("Under rework")
    IN_STOCK = DomainState.IN_STOCK.value, _("In stock")
    SHIPPED = DomainState.SHIPPED.value, _("Shipped")
    DELIVERED = DomainState.DELIVERED.value, _("Delivered")
    ACCEPTED = DomainState.ACCEPTED.value, _("Accepted on site")
    REJECTED = DomainState.REJECTED.value, _("Rejected on site")
    RETURNED = DomainState.RETURNED.value, _("Returned to factory")
    INSTALLED = DomainState.INSTALLED.value, _("Installed")


class EventType(models.TextChoices):
    ORDER = DomainEvent.ORDER.value, _("Order")
    CANCEL_ORDER = DomainEvent.CANCEL_ORDER.value, _("Cancel order")
    START_PRODUCTION = DomainEvent.START_PRODUCTION.value, _("Start production")
    FINISH_PRODUCTION = DomainEvent.FINISH_PRODUCTION.value, _("Finish production")
    PASS_QC = DomainEvent.PASS_QC.value, _("Pass QC")
    FAIL_QC = DomainEvent.FAIL_QC.value, _("Fail QC")
    START_REWORK = DomainEvent.START_REWORK.value, _("Start rework")
    FINISH_REWORK = DomainEvent.FINISH_REWORK.value, _("Finish rework")
    STOCK_IN = DomainEvent.STOCK_IN.value, _("Stock in")
    SHIP = DomainEvent.SHIP.value, _("Ship")
    DELIVER = DomainEvent.DELIVER.value, _("Confirm delivery")
    ACCEPT = DomainEvent.ACCEPT.value, _("Accept on site")
    REJECT = DomainEvent.REJECT.value, _("Reject on site")
    RETURN_TO_FACTORY = DomainEvent.RETURN_TO_FACTORY.value, _("Return to factory")
    INSTALL = DomainEvent.INSTALL.value, _("Install")


class EventRole(models.TextChoices):
    """The part an organisation plays for a component when it records an event."""

    OWNER = DomainRole.OWNER.value, _("Construction unit")
    DESIGNER = DomainRole.DESIGNER.value, _("Design enterprise")
    FACTORY = DomainRole.FACTORY.value, _("Production enterprise")
    LOGISTICS = DomainRole.LOGISTICS.value, _("Carrier")
    CONTRACTOR = DomainRole.CONTRACTOR.value, _("General contractor")
    SUPERVISOR = DomainRole.SUPERVISOR.value, _("Supervisor")


class JobStatus(models.TextChoices):
    """Background work (registry builds, label sheets)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Installation progress stages (the colours of the 3D view), from the lifecycle state.
class Stage(models.TextChoices):
    NOT_STARTED = "not_started", _("Not produced yet")
    PRODUCED = "produced", _("Produced")
    DELIVERED = "delivered", _("Delivered to site")
    INSTALLED = "installed", _("Installed")


STAGE_OF_STATE: dict[str, str] = {
    ComponentState.DESIGNED: Stage.NOT_STARTED,
    ComponentState.ORDERED: Stage.NOT_STARTED,
    ComponentState.IN_PRODUCTION: Stage.NOT_STARTED,
    ComponentState.PRODUCED: Stage.PRODUCED,
    ComponentState.QC_PASSED: Stage.PRODUCED,
    ComponentState.QC_FAILED: Stage.PRODUCED,
    ComponentState.REWORKED: Stage.PRODUCED,
    ComponentState.IN_STOCK: Stage.PRODUCED,
    ComponentState.SHIPPED: Stage.PRODUCED,
    ComponentState.RETURNED: Stage.PRODUCED,
    ComponentState.DELIVERED: Stage.DELIVERED,
    ComponentState.ACCEPTED: Stage.DELIVERED,
    ComponentState.REJECTED: Stage.DELIVERED,
    ComponentState.INSTALLED: Stage.INSTALLED,
}
STAGE_COLOURS = {
    Stage.NOT_STARTED: None,  # the viewer's neutral grey
    Stage.PRODUCED: "#f5b700",
    Stage.DELIVERED: "#1a73e8",
    Stage.INSTALLED: "#0b8a3e",
}

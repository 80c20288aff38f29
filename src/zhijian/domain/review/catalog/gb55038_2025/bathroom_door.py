"""GB 55038-2025 4.1.6 — a bathroom with a toilet shall not open directly into the kitchen."""

from collections.abc import Iterable
from dataclasses import dataclass

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import sanitary_kinds
from zhijian.domain.review.rule import CheckContext, Outcome, RuleMeta, Status

META = rule_meta(
    rule_id="GB55038-2025-4.1.6-door",
    clause="4.1.6",
    title_zh="布置便器的卫生间门不应直接开在厨房内",
    title_en="No toilet-room door opening directly into the kitchen",
    text_zh="布置便器的卫生间的门不应直接开在厨房内。",
    text_en=(
        "The door of a bathroom with a toilet shall not open directly into the kitchen: a door bounding "
        "both a bathroom and a kitchen fails. A bathroom is taken to hold a toilet unless the model links "
        "its fixtures and none is a toilet."
    ),
    ifc_classes=("IfcDoor",),
    check_type="topology",
)


@dataclass(frozen=True)
class BathroomDoorRule:
    meta: RuleMeta = META

    def evaluate(self, ctx: CheckContext) -> Iterable[Outcome]:
        if ctx.building_use not in self.meta.building_uses:
            return
        index = ctx.index
        for door in index.of_class("IfcDoor"):
            spaces = [s for s in index.bounded_spaces(door.guid) if s.function]
            baths = [s for s in spaces if s.function.category == "bathroom" and self._has_toilet(ctx, s)]
            if not baths:
                continue
            kitchens = [s for s in spaces if s.function.category == "kitchen"]
            # Without fixtures linked to the bathroom its toilet is presumed: advisory.
            presumed = sanitary_kinds(index, baths[0]) is None
            if kitchens:
                yield Outcome(
                    door.guid,
                    Status.FAIL,
                    message_zh=f"布置便器的卫生间（{baths[0].label}）的门直接开向厨房（{kitchens[0].label}）",
                    message_en=f"the door of a toilet room ({baths[0].label}) opens directly into the kitchen ({kitchens[0].label})",
                    advisory=presumed,
                )
            else:
                yield Outcome(
                    door.guid,
                    Status.PASS,
                    message_zh=f"卫生间（{baths[0].label}）的门不开向厨房",
                    message_en=f"the bathroom door ({baths[0].label}) does not open into a kitchen",
                )

    @staticmethod
    def _has_toilet(ctx: CheckContext, space) -> bool:
        kinds = sanitary_kinds(ctx.index, space)
        return not kinds or "toilet" in kinds  # None or none linked here: presumed


RULE = BathroomDoorRule()

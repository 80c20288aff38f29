"""GB 55038-2025 5.0.4 — solid reinforced-concrete floor slabs of new dwellings ≥ 100 mm."""

from zhijian.domain.review.catalog.gb55038_2025 import rule_meta
from zhijian.domain.review.measures import slab_is_concrete, slab_thickness
from zhijian.domain.review.rule import Limit, ThresholdRule

THICKNESS = Limit.at_least(0.100, "m", "5.0.4", "钢筋混凝土实心楼板", "solid reinforced-concrete floor slab")


def _applies(slab, ctx) -> bool:
    # Floor slabs only (not roofs, landings or foundations); timber or steel floors are out,
    # a slab without materials is taken for concrete, as Chinese dwellings almost always are.
    return ctx.new_build and slab.predefined_type == "FLOOR" and slab_is_concrete(ctx.index, slab) is not False


RULE = ThresholdRule(
    meta=rule_meta(
        rule_id="GB55038-2025-5.0.4",
        clause="5.0.4",
        discipline="structure",
        title_zh="楼板厚度",
        title_en="Floor slab thickness",
        text_zh="新建住宅的钢筋混凝土实心楼板厚度不应小于100mm。",
        text_en=(
            "Solid reinforced-concrete floor slabs of new dwellings are at least 100 mm thick: the concrete "
            "layers of the slab's material layer set (screed left out), else its Width quantity (the "
            "thickness in IFC4) or NominalWidth (IFC2X3), else a Thickness property, else geometry."
        ),
        ifc_classes=("IfcSlab",),
        parameters=(("thickness", THICKNESS),),
    ),
    measure=lambda slab, ctx: slab_thickness(ctx.index, slab),
    limit=lambda slab, ctx: THICKNESS,
    applies=_applies,
    quantity_zh="楼板厚度",
    quantity_en="slab thickness",
)

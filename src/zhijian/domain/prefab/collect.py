"""From a model index to each model item's numerator and denominator, element by element.

One measurement per basis the scoring table names (``vertical_concrete_volume`` …); each
counted element carries its quantity, where the quantity came from, and the evidence for
crediting it (precast, non-masonry, integrated) or not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from zhijian.domain.bim.index import ModelIndex
from zhijian.domain.prefab.classify import (
    CATEGORIES,
    ENVELOPE,
    HORIZONTAL,
    PARTITION,
    VERTICAL,
    Placement,
    Selection,
)
from zhijian.domain.prefab.precast import (
    Decision,
    Evidence,
    Overrides,
    decide_flag,
    decide_non_masonry,
    decide_precast,
)
from zhijian.domain.prefab.quantities import UNITS, Measured, measure
from zhijian.domain.prefab.result import ElementLine, ItemMeasurement
from zhijian.domain.prefab.scoring_table import ScoringTable

ENVELOPE_INTEGRATION_PROPERTIES = ("保温隔热装饰一体化", "围护墙一体化", "一体化", "IntegratedEnvelope")
PARTITION_INTEGRATION_PROPERTIES = ("管线装修一体化", "内隔墙一体化", "一体化", "IntegratedPartition")

_EMPTY_REASONS = {
    VERTICAL: "no vertical load-bearing members (columns, load-bearing or shear walls, braces) above ground",
    HORIZONTAL: "no horizontal members (beams, floor or roof slabs, stairs, balconies, AC plates) above ground",
    ENVELOPE: "no non-load-bearing envelope walls above ground (if the building has none, declare the item absent)",
    PARTITION: "no non-load-bearing interior partitions above ground (if the building has none, declare the item absent)",
}


# A cast-in-place joint counts within the width the table allows for its item and clause.
_JOINT_RULES = {VERTICAL: ("vertical_members", "4.0.3"), HORIZONTAL: ("horizontal_members", "4.0.5")}


class _Context:
    def __init__(
        self, index: ModelIndex, table: ScoringTable, selection: Selection, overrides: Overrides, geometry: bool
    ) -> None:
        self.index = index
        self.geometry = geometry
        self.table = table
        self.selection = selection
        self.overrides = overrides
        policy = table.policy("non_concrete_members_prefabricated")
        self.non_concrete = bool(policy and policy.value is True)
        joints = table.policy("joint_max_width_m")
        self.joint_widths: dict[str, float] = dict(joints.value) if joints else {}
        self._measured: dict[str, Measured] = {}
        self._precast: dict[str, Decision] = {}

    def measured(self, placement: Placement) -> Measured:
        guid = placement.element.guid
        if guid not in self._measured:
            self._measured[guid] = measure(
                self.index, placement.element, placement.population or "", placement.category, geometry=self.geometry
            )
        return self._measured[guid]

    def precast(self, placement: Placement) -> Decision:
        guid = placement.element.guid
        if guid not in self._precast:
            item, clause = _JOINT_RULES.get(placement.population or "", ("", ""))
            self._precast[guid] = decide_precast(
                placement.element,
                overrides=self.overrides,
                whole=self.selection.whole_of.get(guid),
                non_concrete_prefabricated=self.non_concrete,
                joint_max_width_m=self.joint_widths.get(item),
                joint_clause=clause,
            )
        return self._precast[guid]


def _line(placement: Placement, measured: Measured, decision: Decision | None) -> ElementLine:
    element = placement.element
    return ElementLine(
        guid=element.guid,
        ifc_class=element.ifc_class,
        name=element.label if element.name or element.long_name else None,
        storey=placement.storey,
        category=CATEGORIES[placement.category][0] if placement.category else None,
        quantity=measured.value,
        quantity_source=measured.source,
        counted=bool(decision and decision.value),
        rule=decision.rule if decision else "",
        evidence=tuple(e.detail for e in decision.evidence) if decision else (),
        note=measured.note,
        reason=measured.reason,
    )


def _ratio_item(
    ctx: _Context,
    key: str,
    population: str,
    credit: Callable[[Placement], Decision | None],
) -> ItemMeasurement:
    placements = ctx.selection.of(population)
    if not placements:
        return ItemMeasurement(key, unit=UNITS[population], available=False, reason=_EMPTY_REASONS[population])
    lines: list[ElementLine] = []
    unmeasured: list[ElementLine] = []
    rules: set[str] = set()
    numerator = denominator = 0.0
    for placement in placements:
        measured = ctx.measured(placement)
        decision = credit(placement)
        line = _line(placement, measured, decision)
        if measured.value is None:
            unmeasured.append(line)
            continue
        lines.append(line)
        if decision:
            rules.add(decision.rule)
        denominator += measured.value
        numerator += measured.value if line.counted else 0.0
    return _finish(key, population, numerator, denominator, lines, unmeasured, rules)


def _finish(
    key: str,
    population: str,
    numerator: float,
    denominator: float,
    lines: list[ElementLine],
    unmeasured: list[ElementLine],
    rules: set[str],
    notes: Sequence[str] = (),
) -> ItemMeasurement:
    reason = ""
    if not lines:
        reason = f"{len(unmeasured)} elements, none measurable: {unmeasured[0].reason}"
    elif unmeasured:
        reason = f"{len(unmeasured)} of {len(lines) + len(unmeasured)} elements could not be measured and are left out of both sides of the ratio"
    return ItemMeasurement(
        key,
        numerator=numerator,
        denominator=denominator,
        unit=UNITS[population],
        available=bool(lines),
        reason=reason,
        elements=tuple(lines),
        unmeasured=tuple(unmeasured),
        notes=tuple(notes),
        rules_used=frozenset(rules),
    )


def _horizontal(ctx: _Context, key: str) -> ItemMeasurement:
    """Σ precast projected area ÷ Σ floor plan area, storey by storey.

    The plan area of a storey is the projected area of its slabs, landings, stairs, balconies
    and AC plates; beams lie under the slabs, so they add to the plan only on a storey without
    slabs. A precast beam adds its projection to the precast side, capped at the storey's plan
    area (without geometry the overlap with precast slabs cannot be removed).
    """
    placements = ctx.selection.of(HORIZONTAL)
    if not placements:
        return ItemMeasurement(key, unit=UNITS[HORIZONTAL], available=False, reason=_EMPTY_REASONS[HORIZONTAL])
    plan: dict[str, float] = defaultdict(float)
    precast: dict[str, float] = defaultdict(float)
    beams_plan: dict[str, float] = defaultdict(float)
    beams_precast: dict[str, float] = defaultdict(float)
    lines: list[ElementLine] = []
    unmeasured: list[ElementLine] = []
    rules: set[str] = set()
    for placement in placements:
        measured = ctx.measured(placement)
        decision = ctx.precast(placement)
        line = _line(placement, measured, decision)
        if measured.value is None:
            unmeasured.append(line)
            continue
        lines.append(line)
        rules.add(decision.rule)
        storey = placement.storey or ""
        is_beam = placement.category == "beam"
        (beams_plan if is_beam else plan)[storey] += measured.value
        if line.counted:
            (beams_precast if is_beam else precast)[storey] += measured.value
    notes = []
    numerator = denominator = 0.0
    for storey in sorted(set(plan) | set(beams_plan)):
        storey_plan = plan[storey] if plan[storey] > 0 else beams_plan[storey]
        storey_precast = precast[storey] + beams_precast[storey]
        if storey_precast > storey_plan + 1e-9:
            notes.append(
                f"{storey}: precast projection {storey_precast:.2f} m² exceeds the plan area {storey_plan:.2f} m² "
                "(precast beams under precast slabs); capped"
            )
            storey_precast = storey_plan
        numerator += storey_precast
        denominator += storey_plan
    if any(beams_plan[s] > 0 and plan[s] > 0 for s in beams_plan):
        notes.append("beams lie under the slabs: their projection is inside the slabs' plan area and is not added to it")
    return _finish(key, HORIZONTAL, numerator, denominator, lines, unmeasured, rules, notes)


def _integrated(ctx: _Context, key: str, population: str, names: tuple[str, ...]) -> ItemMeasurement:
    placements = ctx.selection.of(population)
    flags = {p.element.guid: decide_flag(p.element, names) for p in placements}
    if not any(flags.values()):
        what = "envelope walls" if population == ENVELOPE else "partitions"
        return ItemMeasurement(
            key,
            unit=UNITS[population],
            available=False,
            reason=f"no {what} carry an integration property ({' / '.join(names)})",
        )

    def credit(placement: Placement) -> Decision:
        flag = flags[placement.element.guid]
        override = ctx.overrides.get(placement.element.guid)
        if flag is not None and flag.value and override is not None and override.not_built:
            detail = f"override ({ctx.overrides.file}): no — {override.reason}"
            return Decision(False, "override", (Evidence("override", detail, False), *flag.evidence))
        return flag or Decision(False, "none", (Evidence("none", "no integration property", None),))

    return _ratio_item(ctx, key, population, credit)


def measure_items(
    index: ModelIndex, table: ScoringTable, selection: Selection, overrides: Overrides, *, geometry: bool = True
) -> dict[str, ItemMeasurement]:
    """Item key → measurement, for every item of the table with a model basis."""
    ctx = _Context(index, table, selection, overrides, geometry)

    def masonry(placement: Placement) -> Decision:
        return decide_non_masonry(placement.element, overrides=ctx.overrides, precast=ctx.precast(placement))

    bases: dict[str, Callable[[str], ItemMeasurement]] = {
        "vertical_concrete_volume": lambda key: _ratio_item(ctx, key, VERTICAL, ctx.precast),
        "horizontal_projected_area": lambda key: _horizontal(ctx, key),
        "envelope_wall_area": lambda key: _ratio_item(ctx, key, ENVELOPE, masonry),
        "partition_wall_area": lambda key: _ratio_item(ctx, key, PARTITION, masonry),
        "envelope_integrated_area": lambda key: _integrated(ctx, key, ENVELOPE, ENVELOPE_INTEGRATION_PROPERTIES),
        "partition_integrated_area": lambda key: _integrated(ctx, key, PARTITION, PARTITION_INTEGRATION_PROPERTIES),
    }
    return {item.key: bases[item.basis](item.key) for item in table.items if item.basis in bases}

"""The as-built assembly rate: credit only the precast components that were installed.

At design stage (预评价) a precast member counts because the model says it is precast. After
construction the same building is rated again from the installation records of the
traceability chain: a member the design credited as precast counts only when an installation
event for its GlobalId exists. It stays in the denominator (the building has it), it just
is not credited as precast.

:func:`as_built_overrides` turns that rule into the calculator's own override mechanism, so the
as-built calculation sheet shows, element by element, ``override (installation records): no
— no installation record``. Affected:

- vertical and horizontal members (q1a, q1b) credited as precast; cast-in-place joints
  credited under 4.0.3 / 4.0.5 are cast on site and have no installation record, so they
  keep their design-stage decision;
- non-load-bearing walls credited as non-masonry (q2a, q2c) *because they are precast
  components* (a precast façade or partition panel, registered and traced like any other):
  without an installation record nothing shows that the wall was built as that panel, so it
  loses its non-masonry credit and, the integration being a property of the same panel, its
  integration credit (q2b, q2d) too. The project evaluation rests on as-built records
  (GB/T 51129 3.0.2, U); for a precast component that record is its installation.

Walls credited as non-masonry on their own (ALC boards, light-gauge studs, curtain walls:
built on site from factory products, not traced as components) have no installation records
to look for and keep their design-stage decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhijian.domain.prefab.precast import PRECAST_EVIDENCE_PREFIX, Override, Overrides
from zhijian.domain.prefab.result import AssemblyRateResult, ElementLine
from zhijian.domain.prefab.scoring_table import ScoringTable

# Item bases measured by "is this element precast" (collect.measure_items).
PRECAST_BASES = frozenset({"vertical_concrete_volume", "horizontal_projected_area"})
# Item bases measured by "is this wall non-masonry": a precast panel is one.
WALL_BASES = frozenset({"envelope_wall_area", "partition_wall_area"})
# Deciding rules that are not about a factory-made component.
NOT_COMPONENTS = frozenset({"joint"})
AS_BUILT_SOURCE = "installation records"
NOT_INSTALLED = "as built: no installation record for this precast component"


@dataclass(frozen=True)
class AsBuiltInputs:
    """The overrides for the as-built pass, and what the installation records said."""

    overrides: Overrides
    credited_at_design: int  # precast components the design credited
    installed: int  # of which an installation event exists
    not_installed: int  # credited at design, no installation event: not credited as built
    unknown: int  # installed GlobalIds that are not a credited component of this evaluation


def as_built_overrides(
    design: AssemblyRateResult, table: ScoringTable, installed_guids: Iterable[str]
) -> AsBuiltInputs:
    """Overrides that withdraw the precast credit of every component without an installation record."""
    installed = {g.strip() for g in installed_guids if g and g.strip()}
    members = {item.key for item in table.items if item.basis in PRECAST_BASES}
    walls = {item.key for item in table.items if item.basis in WALL_BASES}
    credited: set[str] = set()
    entries: dict[str, Override] = {}
    for item in design.items:
        if item.key in members:
            components = [e for e in item.elements if e.counted and e.rule not in NOT_COMPONENTS]
        elif item.key in walls:
            components = [e for e in item.elements if e.counted and _precast_panel(e)]
        else:
            continue
        for element in components:
            credited.add(element.guid)
            if element.guid not in installed:
                entries[element.guid] = Override(element.guid, False, NOT_INSTALLED, not_built=True)
    label = f"{AS_BUILT_SOURCE} ({len(installed & credited)} of {len(credited)} precast components installed)"
    return AsBuiltInputs(
        overrides=Overrides(file=label, entries=entries),
        credited_at_design=len(credited),
        installed=len(installed & credited),
        not_installed=len(entries),
        unknown=len(installed - credited),
    )


def _precast_panel(line: ElementLine) -> bool:
    """A wall credited as non-masonry that the evidence shows to be a precast component."""
    return any(detail.startswith(PRECAST_EVIDENCE_PREFIX) for detail in line.evidence)

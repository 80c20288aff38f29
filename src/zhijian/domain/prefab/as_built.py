"""The as-built assembly rate: credit only the precast components that were installed.

At design stage (预评价) a precast member counts because the model says it is precast. After
construction the same building is rated again from the installation records of the
traceability chain: a member the design credited as precast counts only when an installation
event for its GlobalId exists. It stays in the denominator (the building has it), it just
is not credited as precast.

:func:`as_built_overrides` turns that rule into the calculator's own override mechanism, so the
as-built calculation sheet shows, element by element, ``override (installation records): no
— no installation record``. Only the items measured by precast decisions (vertical and
horizontal members) are affected; cast-in-place joints credited under 4.0.3 / 4.0.5 are cast
on site and have no installation record, so they keep their design-stage decision. Wall items
(非砌筑, 一体化) are about construction type, not precast components, and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhijian.domain.prefab.precast import Override, Overrides
from zhijian.domain.prefab.result import AssemblyRateResult
from zhijian.domain.prefab.scoring_table import ScoringTable

# Item bases measured by "is this element precast" (collect.measure_items).
PRECAST_BASES = frozenset({"vertical_concrete_volume", "horizontal_projected_area"})
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
    bases = {item.key for item in table.items if item.basis in PRECAST_BASES}
    credited: set[str] = set()
    entries: dict[str, Override] = {}
    for item in design.items:
        if item.key not in bases:
            continue
        for element in item.elements:
            if not element.counted or element.rule in NOT_COMPONENTS:
                continue
            credited.add(element.guid)
            if element.guid not in installed:
                entries[element.guid] = Override(element.guid, False, NOT_INSTALLED)
    label = f"{AS_BUILT_SOURCE} ({len(installed & credited)} of {len(credited)} precast components installed)"
    return AsBuiltInputs(
        overrides=Overrides(file=label, entries=entries),
        credited_at_design=len(credited),
        installed=len(installed & credited),
        not_installed=len(entries),
        unknown=len(installed - credited),
    )

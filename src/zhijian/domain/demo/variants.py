"""Prefabrication variants of the demo building and the declarations shipped with them.

Plain data (no IFC, no geometry), so that the CLI can list the variants without loading
IfcOpenShell. What each variant makes precast or non-masonry, and the assembly rate it
reaches, is documented and hand-checked in :mod:`zhijian.domain.demo.building`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PRECAST_FROM = 3  # the baseline's precast members, from the 3rd storey up
DECLARATIONS = Path(__file__).with_name("declarations")
ENVELOPES = ("block", "alc", "sandwich")
PARTITIONS = ("block", "alc", "integrated")


@dataclass(frozen=True)
class PrefabScheme:
    """What is precast and what is non-masonry in one variant of the demo building.

    Storeys are counted above ground (1 = 1F); B1 and the roof are always cast-in-place.
    The façade infill and the partitions are of one kind on every storey above ground.
    """

    name: str
    walls_from: int = PRECAST_FROM  # the dwellings' shear walls (预制剪力墙板) from this storey up
    party_walls: bool = False  # ... and the core's walls shared with a dwelling (CW1 CW2 CE1–CE3)
    columns: bool = False  # precast columns (预制柱) from walls_from up
    slabs_from: int = PRECAST_FROM  # 叠合板 and 预制阳台板 from this storey up
    wet_slabs: bool = False  # the 卫生间 slabs as 叠合板 too (else cast, for their drains)
    stairs_from: int = PRECAST_FROM  # precast flights (预制楼梯) from this storey up
    landings_from: int | None = None  # precast landing slabs (预制楼梯平台板); None: all cast
    envelope: str = "block"  # façade infill: "block" (AAC 砌块), "alc" (ALC 条板), "sandwich" (预制夹心保温外墙板)
    partitions: str = "block"  # "block" (AAC 砌块), "alc" (ALC 条板), "integrated" (轻钢龙骨集成墙面)

    def __post_init__(self) -> None:
        if self.envelope not in ENVELOPES or self.partitions not in PARTITIONS:
            raise ValueError(f"unknown envelope {self.envelope!r} or partitions {self.partitions!r}")


PREFAB_VARIANTS: dict[str, PrefabScheme] = {
    # 3F–11F precast shear walls, 叠合板, balconies, stairs; AAC blocks: not prefabricated
    "baseline": PrefabScheme("baseline"),
    # horizontal members from 2F, ALC panels for infill and partitions: grade A
    "grade_a": PrefabScheme("grade_a", slabs_from=2, stairs_from=2, envelope="alc", partitions="alc"),
    # + party walls and columns, wet slabs and landings, sandwich façade, integrated partitions: AA
    "grade_aa": PrefabScheme(
        "grade_aa", party_walls=True, columns=True, slabs_from=2, wet_slabs=True, stairs_from=2, landings_from=2,
        envelope="sandwich", partitions="integrated",
    ),
}


def prefab_scheme(variant: str) -> PrefabScheme:
    """The scheme of a variant name (one of PREFAB_VARIANTS); ValueError for any other."""
    try:
        return PREFAB_VARIANTS[variant]
    except KeyError:
        raise ValueError(f"unknown prefab variant {variant!r}; choose one of {', '.join(PREFAB_VARIANTS)}") from None


def demo_declaration_path(variant: str = "baseline") -> Path:
    """The declaration file shipped with a variant (全装修, 干式工法楼地面, 集成厨房, 集成卫生间,
    管线分离; the baseline also q2b/q2d), for ``zhijian assembly-rate MODEL --declare FILE``
    or :func:`zhijian.domain.prefab.declaration.load_declarations`."""
    return DECLARATIONS / f"{prefab_scheme(variant).name}.toml"

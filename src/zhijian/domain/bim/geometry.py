"""Quantities derived from geometry (ifcopenshell.geom) when a model lacks quantity sets.

Touch geometry only for the elements a rule needs and only when quantities are missing:
geometry is ~90 % of the time of any pass over a real model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhijian.domain.bim.index import ModelIndex


def derive_quantity(index: ModelIndex, guid: str, name: str) -> float | None:
    """SI value of a quantity computed from the element's body geometry, or None."""
    return None

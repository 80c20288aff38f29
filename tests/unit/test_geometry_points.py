"""Extents of faceted B-rep bodies read from their points equal the kernel's mesh extents."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhijian.domain.bim import geometry
from zhijian.domain.bim.index import load_index


def test_faceted_brep_extents_from_points_match_the_kernel(shared_ifc_dir: Path) -> None:
    index = load_index(shared_ifc_dir / "AC20-FZK-Haus.ifc")
    stair = index.of_class("IfcStair")[0]
    points = geometry.body_points(index, stair.guid)
    mesh = geometry.body_mesh(index, stair.guid)
    assert points is not None and mesh is not None
    assert points.plan_extents() == pytest.approx(mesh.plan_extents(), abs=1e-6)
    assert points.z_extent() == pytest.approx(mesh.z_extent(), abs=1e-6)
    assert index.derived_quantity(stair.guid, "Width") == pytest.approx(mesh.plan_extents()[1], abs=1e-6)


def test_extruded_bodies_are_left_to_the_kernel() -> None:
    from zhijian.domain.bim.authoring import ModelBuilder
    from zhijian.domain.bim.index import build_index

    b = ModelBuilder()
    storey = b.storey("1F", 0.0)
    wall = b.element("IfcWall", storey, "W1", size=(4.0, 0.2, 3.0))
    index = build_index(b.file)
    assert geometry.body_points(index, wall.GlobalId) is None
    assert index.derived_quantity(wall.GlobalId, "Length") == pytest.approx(4.0, abs=1e-6)

"""A small three-storey building with box geometry for the viewer tests, and its findings.

Written with ``ModelBuilder`` so the tests know every GlobalId: per storey a slab, four
external walls, an internal wall, a door and a window in openings, two rooms (IfcSpace with a
body). The findings follow the review report contract (``report_version`` 1): one failing
wall, one failing room, one door with missing data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from zhijian.domain.bim.authoring import ModelBuilder

WIDTH, DEPTH, STOREY_HEIGHT, WALL = 12.0, 9.0, 3.0, 0.2


@dataclass
class SampleBuilding:
    path: Path
    storeys: list[str] = field(default_factory=list)  # GlobalIds, bottom up
    guids: dict[str, str] = field(default_factory=dict)  # "2F wall south" → GlobalId
    with_body: int = 0  # products with a Body (what the viewer can draw)
    spaces: int = 0  # of which rooms (drawn only when a finding is on them)

    def storey_of(self, key: str) -> str:
        return self.storeys[int(key[0]) - 1]


def write_test_building(path: Path) -> SampleBuilding:
    b = ModelBuilder(unit="mm", project="Viewer test")
    result = SampleBuilding(path=path)

    def note(key: str, product) -> None:
        result.guids[key] = product.GlobalId
        result.with_body += 1

    for level in range(3):
        tag = f"{level + 1}F"
        storey = b.storey(tag, level * STOREY_HEIGHT, height=STOREY_HEIGHT)
        result.storeys.append(storey.GlobalId)
        note(f"{tag} slab", b.element("IfcSlab", storey, f"{tag} 楼板", x=0, y=0, z=-0.15, size=(WIDTH, DEPTH, 0.15)))
        walls = {
            "south": dict(x=0, y=0, size=(WIDTH, WALL, STOREY_HEIGHT - 0.15)),
            "north": dict(x=0, y=DEPTH - WALL, size=(WIDTH, WALL, STOREY_HEIGHT - 0.15)),
            "west": dict(x=0, y=WALL, size=(WALL, DEPTH - 2 * WALL, STOREY_HEIGHT - 0.15)),
            "east": dict(x=WIDTH - WALL, y=WALL, size=(WALL, DEPTH - 2 * WALL, STOREY_HEIGHT - 0.15)),
            "internal": dict(x=7.0, y=WALL, size=(WALL, DEPTH - 2 * WALL, STOREY_HEIGHT - 0.15)),
        }
        hosts = {}
        for side, kw in walls.items():
            wall = b.element("IfcWall", storey, f"{tag} {side} wall", **kw)
            hosts[side] = wall
            note(f"{tag} wall {side}", wall)
        door = b.door(storey, f"{tag} 入户门", width=1.0, height=2.1, thickness=WALL, x=3.0, y=0)
        b.fill_opening(hosts["south"], door, width=1.0, height=2.1, depth=WALL)
        note(f"{tag} door", door)
        window = b.element(
            "IfcWindow", storey, f"{tag} 窗", x=9.0, y=0, z=0.9, size=(1.5, WALL, 1.5),
            OverallWidth=b.length(1.5), OverallHeight=b.length(1.5),
        )
        b.fill_opening(hosts["south"], window, width=1.5, height=1.5, depth=WALL)
        note(f"{tag} window", window)
        for name, x0, x1 in (("客厅", WALL, 7.0), ("卧室", 7.0 + WALL, WIDTH - WALL)):
            room = b.space(
                storey, f"{tag}-{name}", name, x=x0, y=WALL, size=(x1 - x0, DEPTH - 2 * WALL, 2.7),
                area=(x1 - x0) * (DEPTH - 2 * WALL), height=2.7,
            )
            note(f"{tag} room {name}", room)
            result.spaces += 1
    b.save(path)
    return result


def findings_for(building: SampleBuilding) -> dict:
    """A review report (contract v1, findings only) on the test building."""

    def finding(key: str, rule_id: str, status: str, ifc_class: str, zh: str, en: str) -> dict:
        return {
            "rule_id": rule_id, "rule_version": "1", "standard": "GB 50096-2011", "clause": "5.2.1",
            "mandatory": True, "status": status, "guid": building.guids[key], "ifc_class": ifc_class,
            "name": key, "storey": key.split()[0], "measured": None, "required": None, "unit": "m",
            "message_zh": zh, "message_en": en,
        }

    return {
        "report_version": 1,
        "findings": [
            finding("2F wall south", "TEST-wall-thickness", "fail", "IfcWall", "外墙厚度不足", "External wall too thin"),
            finding("1F room 卧室", "GB50096-5.2.1-a", "fail", "IfcSpace", "卧室使用面积小于 9 m²", "Bedroom under 9 m²"),
            finding("3F door", "GB50096-5.8.7", "missing_data", "IfcDoor", "门缺少洞口宽度", "Door opening width missing"),
            # A finding on an element the viewer cannot draw (no geometry): counted, not lost.
            {**finding("2F door", "GB50096-x", "fail", "IfcDoor", "无几何体", "No geometry"), "guid": "0000000000000000000000"},
        ],
    }


def write_site_files(root: Path) -> SampleBuilding:
    building = write_test_building(root / "model.ifc")
    (root / "findings.json").write_text(json.dumps(findings_for(building), ensure_ascii=False), encoding="utf-8")
    (root / "broken.ifc").write_text("ISO-10303-21;\nHEADER;\nthis is not a model\n", encoding="utf-8")
    (root / "not-ifc.ifc").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return building

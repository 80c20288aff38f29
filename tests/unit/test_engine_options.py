"""Options of a review run that change which limits apply."""

from __future__ import annotations

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import build_index
from zhijian.domain.review.engine import run_review
from zhijian.domain.review.packs import select_packs


def _entrance_door_findings(new_build: bool) -> list[dict]:
    b = ModelBuilder()
    storey = b.storey("2F", 3.0)
    hall = b.space(storey, "201", "门厅", area=6.0)
    b.door(storey, "户门", width=0.95, between=[hall], psets={"CN_Door": {"ClearWidth": b.length(0.85)}})
    report = run_review(build_index(b.file), select_packs(["gb55038-2025"]), new_build=new_build)
    return [f for f in report["findings"] if f["rule_id"].startswith("GB55038-2025-4.1.14")]


def test_entrance_door_of_085_m_fails_a_new_build() -> None:
    findings = _entrance_door_findings(new_build=True)
    assert [f["required"] for f in findings if f["status"] == "fail"] == [0.9]


def test_entrance_door_of_085_m_passes_an_existing_building() -> None:
    assert [f for f in _entrance_door_findings(new_build=False) if f["status"] == "fail"] == []



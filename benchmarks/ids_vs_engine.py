"""The same attribute checks run by ifctester (from an IDS file) and by our rule engine.

    uv run python benchmarks/ids_vs_engine.py [MODEL ...] [--repeat N] [--no-generated]

The benchmark writes an IDS 1.0 file (``build/bench/attribute-checks.ids``) and five
equivalent rules, kept here and never added to the catalogue:

* every IfcSpace has a Name;
* every IfcDoor has an OverallWidth;
* every IfcWall, and every IfcWallStandardCase, has Pset_WallCommon.IsExternal as a boolean;
* every IfcSpace has Qto_SpaceBaseQuantities.NetFloorArea.

IDS entity facets name one class, not its subclasses, so the engine's rules take the exact
class too. Both sides must agree on what passes and fails (printed). Times are best of N:
on a model already open (ifctester ``validate`` vs our index build plus rule run), and from the
file (each side opening it too). Ratio = engine ÷ ifctester: below 1 the engine is faster.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ifcopenshell
from ifctester import ids

from zhijian.domain.bim.index import Element, build_index, load_index
from zhijian.domain.review.engine import run_review
from zhijian.domain.review.packs import Pack, PackInfo
from zhijian.domain.review.rule import CheckContext, Limit, Outcome, RuleMeta, Status, ThresholdRule

sys.path.insert(0, str(Path(__file__).resolve().parent))
from review import REPO, best_of, default_models

IDS_PATH = REPO / "build" / "bench" / "attribute-checks.ids"


def _meta(rule_id: str, ifc_class: str, title: str) -> RuleMeta:
    return RuleMeta(
        rule_id=rule_id,
        version="1",
        standard="benchmark",
        standard_title_zh="基准测试",
        standard_title_en="benchmark",
        clause=rule_id,
        mandatory=False,
        discipline="information",
        title_zh=title,
        title_en=title,
        text_zh=title,
        text_en=title,
        ifc_classes=(ifc_class,),
        building_uses=("any",),
    )


@dataclass(frozen=True)
class PresenceRule:
    """Every element of exactly ``ifc_class`` has what ``present`` looks for."""

    meta: RuleMeta
    ifc_class: str
    present: Callable[[Element], bool]

    def evaluate(self, ctx: CheckContext) -> Iterable[Outcome]:
        for element in ctx.index.of_class(self.ifc_class):
            if element.ifc_class == self.ifc_class:
                yield Outcome(element.guid, Status.PASS if self.present(element) else Status.FAIL)


def _is_external_stated(element: Element) -> bool:
    return isinstance(element.prop("Pset_WallCommon", "IsExternal"), bool)


# (IDS specification, equivalent engine rule)
def checks() -> list[tuple[ids.Specification, Any]]:
    def spec(name: str, entity: str, requirement: Any) -> ids.Specification:
        specification = ids.Specification(name=name, ifcVersion=["IFC2X3", "IFC4", "IFC4X3_ADD2"])
        specification.applicability.append(ids.Entity(name=entity))
        specification.requirements.append(requirement)
        return specification

    net_area = ThresholdRule(
        meta=_meta("space-net-floor-area", "IfcSpace", "Every space has a net floor area"),
        measure=lambda e, ctx: e.qsets.get("Qto_SpaceBaseQuantities", {}).get("NetFloorArea"),
        limit=lambda e, ctx: Limit.at_least(0.0, "m2"),
        applies=lambda e, ctx: e.ifc_class == "IfcSpace",
    )
    return [
        (
            spec("Every space has a name", "IFCSPACE", ids.Attribute(name="Name")),
            PresenceRule(
                _meta("space-name", "IfcSpace", "Every space has a name"),
                "IfcSpace",
                lambda e: bool(e.name),
            ),
        ),
        (
            spec("Every door has an overall width", "IFCDOOR", ids.Attribute(name="OverallWidth")),
            PresenceRule(
                _meta("door-width", "IfcDoor", "Every door has an overall width"),
                "IfcDoor",
                lambda e: "OverallWidth" in e.dims,
            ),
        ),
        (
            spec(
                "Every wall states whether it is external",
                "IFCWALL",
                ids.Property(
                    propertySet="Pset_WallCommon", baseName="IsExternal", dataType="IFCBOOLEAN"
                ),
            ),
            PresenceRule(
                _meta("wall-external", "IfcWall", "Every wall states IsExternal"),
                "IfcWall",
                _is_external_stated,
            ),
        ),
        (
            spec(
                "Every standard-case wall states whether it is external",
                "IFCWALLSTANDARDCASE",
                ids.Property(
                    propertySet="Pset_WallCommon", baseName="IsExternal", dataType="IFCBOOLEAN"
                ),
            ),
            PresenceRule(
                _meta(
                    "wall-sc-external",
                    "IfcWallStandardCase",
                    "Every standard-case wall states IsExternal",
                ),
                "IfcWallStandardCase",
                _is_external_stated,
            ),
        ),
        (
            spec(
                "Every space has a net floor area",
                "IFCSPACE",
                ids.Property(
                    propertySet="Qto_SpaceBaseQuantities",
                    baseName="NetFloorArea",
                    dataType="IFCAREAMEASURE",
                ),
            ),
            net_area,
        ),
    ]


def write_ids(specs: list[ids.Specification]) -> Path:
    document = ids.Ids(title="Zhijian benchmark: attribute checks")
    document.specifications = specs
    IDS_PATH.parent.mkdir(parents=True, exist_ok=True)
    if not document.to_xml(str(IDS_PATH)):
        raise RuntimeError(f"{IDS_PATH} does not validate against the IDS 1.0 schema")
    return IDS_PATH


def run_ifctester(model: ifcopenshell.file, ids_path: Path) -> ids.Ids:
    document = ids.open(str(ids_path))
    document.validate(model)
    return document


def run_engine(index: Any, pack: Pack) -> dict[str, Any]:
    return run_review(index, [pack])


def _time_on_open_model(
    model: ifcopenshell.file, ids_path: Path, pack: Pack, repeat: int
) -> tuple[float, float]:
    tester = best_of(repeat, lambda: run_ifctester(model, ids_path))
    engine = best_of(repeat, lambda: run_engine(build_index(model), pack))
    return tester, engine


def compare(path: Path, repeat: int) -> None:
    pairs = checks()
    ids_path = write_ids([s for s, _ in pairs])
    pack = Pack(
        info=PackInfo(
            id="bench-ids",
            version="1",
            title_zh="IDS 等价检查",
            title_en="IDS-equivalent checks",
            standard="-",
        ),
        rules=tuple(rule for _, rule in pairs),
    )
    model = ifcopenshell.open(str(path))

    # Same verdicts: per check, the failing GlobalIds on each side.
    document = run_ifctester(model, ids_path)
    report = run_engine(build_index(model), pack)
    failing: dict[str, set[str]] = {}
    for finding in report["findings"]:
        failing.setdefault(finding["rule_id"], set()).add(finding["guid"])
    print(f"\n{path.name} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"  {'check':<56} {'ifctester':>16} {'engine':>16}  agree")
    for (_, rule), spec, row in zip(pairs, document.specifications, report["rules"], strict=True):
        tester_failed = {e.GlobalId for e in spec.failed_entities}
        engine_failed = failing.get(rule.meta.rule_id, set())
        agree = len(spec.applicable_entities) == row["checked"] and tester_failed == engine_failed
        print(
            f"  {spec.name:<56} {len(spec.applicable_entities):>6} {len(tester_failed):>4} failed"
            f" {row['checked']:>6} {len(engine_failed):>4} failed  {'yes' if agree else 'NO'}"
        )

    tester_open, engine_open = _time_on_open_model(model, ids_path, pack, repeat)
    del model, document, report
    gc.collect()
    tester_file = best_of(repeat, lambda: run_ifctester(ifcopenshell.open(str(path)), ids_path))
    engine_file = best_of(repeat, lambda: run_engine(load_index(path), pack))
    print(
        f"  on the open model: ifctester {tester_open:.3f} s, engine (index + rules) {engine_open:.3f} s,"
        f" ratio {engine_open / tester_open:.2f}"
    )
    print(
        f"  from the file:     ifctester {tester_file:.3f} s, engine (open + index + rules) {engine_file:.3f} s,"
        f" ratio {engine_file / tester_file:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-generated", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for path in args.models or default_models(not args.no_generated):
        compare(path, args.repeat)
    print(
        f"\n(best of {args.repeat}; ratio = engine ÷ ifctester; {time.perf_counter() - started:.0f} s in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

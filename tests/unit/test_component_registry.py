"""Precast components read from a model, and codes kept stable across model revisions."""

from __future__ import annotations

import dataclasses

import ifcopenshell.api.aggregate
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import pytest

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import build_index, load_index
from zhijian.domain.errors import InputError
from zhijian.domain.prefab.coding import CodeParts, issue_code, parse_code
from zhijian.domain.prefab.component_registry import (
    CodeIssuer,
    PrecastComponent,
    classify,
    components_from_index,
    is_precast_component,
    reconcile,
)
from zhijian.domain.prefab.precast import decide_precast

PRECAST = {"Zhijian_Precast": {"是否预制": "是"}}


def small_building() -> tuple[ModelBuilder, dict[str, object]]:
    """A basement, two storeys, and precast and cast-in-place elements on them."""
    b = ModelBuilder(unit="mm")
    b1 = b.storey("B1", -3.0)
    f1 = b.storey("1F", 0.0)
    f2 = b.storey("2F", 3.0)
    made = {
        "slab": b.element(
            "IfcSlab", f2, "叠合板 DBS1-67-3620", predefined_type="FLOOR",
            quantities={"Length": 3.6, "Width": 2.0, "Depth": 0.06, "NetVolume": 0.432},
            psets={"Zhijian_Precast": {"是否预制": "是", "混凝土强度等级": "C30"}}, x=1.0, y=2.0,
        ),
        "wall": b.element(
            "IfcWall", f1, "YWQ1", quantities={"Length": 3.0, "Width": 0.2, "Height": 2.9, "NetVolume": 1.74},
            psets={"Zhijian_Precast": {"是否预制": "是", "钢筋牌号": "hrb 400e"}}, x=0.0, y=0.0,
        ),
        "stair": b.element("IfcStairFlight", f1, "梯段 ST-28-25", psets=PRECAST),
        "column": b.element("IfcColumn", b1, "KZ1 precast", quantities={"Length": 2.8, "GrossVolume": 0.28}),
        "beam": b.element("IfcBeam", f2, "框架梁", psets=PRECAST),
        "balcony": b.element("IfcSlab", f2, "prefab balkon", psets={"eigenschappen": {"betonkwaliteit": "C20/25"}}),
        "insitu": b.element("IfcSlab", f1, "现浇楼板", predefined_type="FLOOR"),
        "proxy": b.element("IfcBuildingElementProxy", f1, "预制装饰构件"),
    }
    b.assign_material(made["wall"], "预制混凝土 C35")
    b.assign_material(made["beam"], "钢筋 HRB500")
    return b, made


@pytest.fixture(scope="module")
def building():
    b, made = small_building()
    index = build_index(b.file)
    return b, made, index, {c.guid: c for c in components_from_index(index)}


# -- reading components --------------------------------------------------------------------
def test_precast_elements_become_components_and_cast_in_place_ones_do_not(building):
    _, made, _, components = building
    assert set(components) == {made[k].GlobalId for k in ("slab", "wall", "stair", "column", "beam", "proxy", "balcony")}


def test_types_come_from_names_and_classes(building):
    _, made, _, components = building
    types = {k: components[made[k].GlobalId].type_code for k in ("slab", "wall", "stair", "column", "beam", "proxy", "balcony")}
    assert types == {"slab": "DHB", "wall": "YWQ", "stair": "YLT", "column": "YZZ", "beam": "YZL", "proxy": "YQT", "balcony": "YYB"}
    assert components[made["slab"].GlobalId].classified_by == "IfcSlab named with '叠合板'"


def test_dimensions_volume_and_weight_are_read_in_si(building):
    _, made, _, components = building
    slab = components[made["slab"].GlobalId]
    assert (slab.length_m, slab.width_m, slab.height_m) == pytest.approx((3.6, 2.0, 0.06))
    assert slab.volume_m3 == pytest.approx(0.432)
    assert slab.weight_kg == pytest.approx(1080.0)
    assert slab.weight_source == "volume × 2500 kg/m³"
    column = components[made["column"].GlobalId]
    assert column.volume_m3 == pytest.approx(0.28)  # GrossVolume when there is no NetVolume
    assert components[made["beam"].GlobalId].weight_kg is None  # no volume, no weight


def test_the_density_is_a_parameter_and_must_be_positive(building):
    _, made, index, _ = building
    heavy = {c.guid: c for c in components_from_index(index, density_kg_m3=2600)}
    assert heavy[made["slab"].GlobalId].weight_kg == pytest.approx(0.432 * 2600)
    with pytest.raises(InputError, match="density"):
        components_from_index(index, density_kg_m3=0)


def test_grade_and_reinforcement_come_from_properties_or_materials(building):
    _, made, _, components = building
    assert components[made["slab"].GlobalId].concrete_grade == "C30"  # 混凝土强度等级
    wall = components[made["wall"].GlobalId]
    assert (wall.concrete_grade, wall.reinforcement) == ("C35", "HRB400E")  # material, property
    beam = components[made["beam"].GlobalId]
    assert (beam.concrete_grade, beam.reinforcement) == (None, "HRB500")
    # EN 206 notation is not a GB grade (C20/25 is not C20): kept whole.
    assert components[made["balcony"].GlobalId].concrete_grade == "C20/25"


def test_storeys_are_numbered_above_and_below_ground(building):
    _, made, _, components = building
    assert components[made["wall"].GlobalId].storey == 1
    assert components[made["slab"].GlobalId].storey == 2
    assert components[made["column"].GlobalId].storey == -1
    assert components[made["slab"].GlobalId].storey_name == "2F"


def test_positions_are_world_metres(building):
    _, made, _, components = building
    assert components[made["slab"].GlobalId].position == pytest.approx((1.0, 2.0, 3.0))


def test_the_precast_predicate_is_pluggable(building):
    _, made, index, _ = building
    only_walls = components_from_index(index, lambda e: e.ifc_class == "IfcWall")
    assert [c.guid for c in only_walls] == [made["wall"].GlobalId]


def test_an_assembly_of_precast_parts_is_coded_by_its_parts():
    b = ModelBuilder()
    f1 = b.storey("1F", 0.0)
    stair = b.element("IfcStair", f1, "预制楼梯")
    flight = b.element("IfcStairFlight", f1, "预制梯段")
    ifcopenshell.api.aggregate.assign_object(b.file, products=[flight], relating_object=stair)
    guids = [c.guid for c in components_from_index(build_index(b.file))]
    assert guids == [flight.GlobalId]


@pytest.mark.parametrize(
    ("ifc_class", "name", "predefined", "props", "expected"),
    [
        ("IfcSlab", "预制空调板 KTB1", None, {}, "YKB"),
        ("IfcSlab", "预制阳台板", "FLOOR", {}, "YYB"),
        ("IfcSlab", "PC slab", "FLOOR", {}, "DHB"),
        ("IfcSlab", "PC slab", "ROOF", {}, "YQT"),
        ("IfcWall", "预制剪力墙外墙板", None, {}, "YWQ"),  # the exterior wins: 15G107 YWQ
        ("IfcWall", "内墙 YNQ3", None, {}, "YNQ"),
        ("IfcWall", "Q1", "SHEAR", {}, "YJQ"),
        ("IfcWall", "Q2", None, {"Pset_WallCommon": {"IsExternal": True}}, "YWQ"),
        ("IfcWall", "Q3", None, {"Pset_WallCommon": {"LoadBearing": True}}, "YJQ"),
        ("IfcWall", "Q4", None, {"Pset_WallCommon": {"IsExternal": False}}, "YNQ"),
        ("IfcWall", "Q5", None, {}, "YQT"),
        ("IfcBuildingElementProxy", "STEEL plate", None, {}, "YQT"),  # 'ST' must not match 'STEEL'
        ("IfcBuildingElementProxy", "ST-28-25", None, {}, "YLT"),
        ("IfcBeam", "L1", None, {}, "YZL"),
        ("IfcColumn", "Z1", None, {}, "YZZ"),
    ],
)
def test_classification_rules(ifc_class, name, predefined, props, expected):
    b = ModelBuilder()
    f1 = b.storey("1F", 0.0)
    product = b.element(ifc_class, f1, name, predefined_type=predefined, psets=props)
    element = build_index(b.file).elements[product.GlobalId]
    assert classify(element)[0] == expected


def test_the_default_detection_is_the_assembly_rate_one():
    b = ModelBuilder()
    f1 = b.storey("1F", 0.0)
    cases = {
        b.element("IfcWall", f1, "Q1", psets={"Zhijian": {"IsPrecast": True}}): True,
        b.element("IfcWall", f1, "预制墙", psets={"Zhijian": {"是否预制": "否"}}): False,  # the flag wins
        b.element("IfcWall", f1, "预制墙板"): True,
        b.element("IfcSlab", f1, "现浇楼板"): False,
        b.element("IfcWall", f1, "Q4"): False,
        # A cast-in-place joint may count as precast for the assembly rate, never as a component.
        b.element("IfcWall", f1, "后浇段", psets={"Zhijian": {"CastInPlaceJoint": True, "JointWidth": 0.2}}): False,
    }
    index = build_index(b.file)
    for product, expected in cases.items():
        element = index.elements[product.GlobalId]
        assert is_precast_component(element) is expected, product.Name
        assert decide_precast(element).value is expected  # the same detection as the rate


# -- reconciliation ----------------------------------------------------------------------------
def component(guid: str, storey: int | None = 1, type_code: str = "DHB", x: float = 0.0) -> PrecastComponent:
    return PrecastComponent(
        guid=guid, ifc_class="IfcSlab", name=guid, type_code=type_code, classified_by="test",
        storey_guid="s", storey_name="1F", storey=storey, length_m=None, width_m=None, height_m=None,
        volume_m3=None, weight_kg=None, weight_source=None, concrete_grade=None, reinforcement=None,
        position=(x, 0.0, 0.0),
    )


ISSUER = CodeIssuer(project=100023, building=1, next_serial=1)


def test_a_first_version_gets_codes_with_consecutive_fresh_serials():
    result = reconcile({}, [component("a", x=2), component("b", x=1), component("c", storey=2)], ISSUER)
    assert result.next_serial == 4
    assert [parse_code(i.code).serial for i in result.issued] == [1, 2, 3]
    assert [i.guid for i in result.issued] == ["b", "a", "c"]  # storey, type, position order
    assert set(result.codes) == {"a", "b", "c"}
    assert result.kept == () and result.retired == ()


def test_a_revision_keeps_unchanged_codes_issues_new_ones_and_retires_removed_ones():
    v1 = reconcile({}, [component("a"), component("b"), component("c")], ISSUER)
    v2 = reconcile(v1.codes, [component("a"), component("c"), component("d")], dataclasses.replace(ISSUER, next_serial=v1.next_serial))
    assert v2.kept == ("a", "c")
    assert v2.codes["a"] == v1.codes["a"] and v2.codes["c"] == v1.codes["c"]
    assert [(i.guid, parse_code(i.code).serial) for i in v2.issued] == [("d", 4)]
    assert [(r.guid, r.code) for r in v2.retired] == [("b", v1.codes["b"])]
    assert v2.next_serial == 5
    assert v1.codes["b"] not in v2.codes.values()


def test_a_retired_code_is_never_reissued_even_when_its_globalid_returns():
    v1 = reconcile({}, [component("a"), component("b")], ISSUER)
    v2 = reconcile(v1.codes, [component("a")], dataclasses.replace(ISSUER, next_serial=v1.next_serial))
    retired = {r.guid: r.code for r in v2.retired}
    v3 = reconcile(v2.codes, [component("a"), component("b")], dataclasses.replace(ISSUER, next_serial=v2.next_serial), retired=retired)
    (again,) = v3.issued
    assert again.guid == "b" and again.code != v1.codes["b"]
    assert again.previously_retired == v1.codes["b"]
    assert parse_code(again.code).serial == 3


def test_a_change_of_storey_or_type_keeps_the_code_and_is_flagged():
    v1 = reconcile({}, [component("a", storey=5), component("b")], ISSUER)
    v2 = reconcile(v1.codes, [component("a", storey=6, type_code="YYB"), component("b")], dataclasses.replace(ISSUER, next_serial=3))
    assert v2.codes == v1.codes
    (change,) = v2.changed
    assert change.guid == "a" and change.changes == ("storey F05 → F06", "type DHB → YYB")
    assert v2.issued == () and v2.next_serial == 3


def test_a_model_moved_to_another_building_keeps_codes_and_says_so():
    v1 = reconcile({}, [component("a")], ISSUER)
    v2 = reconcile(v1.codes, [component("a")], CodeIssuer(100023, 2, 2))
    assert v2.changed[0].changes == ("building 100023-01 → 100023-02",)


def test_components_without_a_storey_cannot_be_coded_and_say_why():
    result = reconcile({}, [component("a", storey=None), component("b")], ISSUER)
    assert [(u.guid, u.reason) for u in result.uncodable] == [("a", "not on a building storey: the code needs one")]
    assert set(result.codes) == {"b"} and result.next_serial == 2


def test_fallback_types_are_reported_as_unclassified():
    result = reconcile({}, [component("a", type_code="YQT"), component("b")], ISSUER)
    assert result.unclassified == ("a",)


def test_the_counter_may_not_be_behind_issued_serials():
    v1 = reconcile({}, [component("a"), component("b")], ISSUER)
    with pytest.raises(InputError, match=r"counter \(2\) is behind serial 2"):
        reconcile(v1.codes, [component("c")], dataclasses.replace(ISSUER, next_serial=2))


@pytest.mark.parametrize(
    ("previous", "components", "issuer", "reason"),
    [
        ({"a": "nonsense"}, [], ISSUER, "previous code of a is not a valid component code"),
        (
            {"a": issue_code(CodeParts(100023, 1, 1, "DHB", 1)), "b": issue_code(CodeParts(100023, 1, 1, "DHB", 1))},
            [], CodeIssuer(100023, 1, 5), "belongs to both a and b",
        ),
        ({}, [component("a"), component("a")], ISSUER, "GlobalId a occurs twice"),
        ({}, [], CodeIssuer(100023, 1, 0), "serial counter must be"),
    ],
)
def test_bad_reconciliation_input_is_refused(previous, components, issuer, reason):
    with pytest.raises(InputError, match=reason):
        reconcile(previous, components, issuer)


def test_serials_run_out_loudly():
    with pytest.raises(InputError, match="used all 999999 serials"):
        reconcile({}, [component("a"), component("b")], CodeIssuer(1, 1, 999_999))


def test_reconciling_real_model_revisions():
    b, made = small_building()
    index = build_index(b.file)
    v1 = reconcile({}, components_from_index(index), ISSUER)
    assert len(v1.codes) == 7 and v1.unclassified == (made["proxy"].GlobalId,)

    # Revision: the beam is deleted, the wall moves up a storey, a new balcony slab appears.
    ifcopenshell.api.root.remove_product(b.file, product=made["beam"])
    f2 = next(s for s in b.file.by_type("IfcBuildingStorey") if s.Name == "2F")
    ifcopenshell.api.spatial.assign_container(b.file, products=[made["wall"]], relating_structure=f2)
    balcony = b.element("IfcSlab", f2, "预制阳台板 YYB1", psets=PRECAST)
    v2 = reconcile(v1.codes, components_from_index(build_index(b.file)), dataclasses.replace(ISSUER, next_serial=v1.next_serial))

    assert [r.guid for r in v2.retired] == [made["beam"].GlobalId]
    assert [(i.guid, parse_code(i.code).type_code, parse_code(i.code).serial) for i in v2.issued] == [
        (balcony.GlobalId, "YYB", 8)
    ]
    assert [(c.guid, c.changes) for c in v2.changed] == [(made["wall"].GlobalId, ("storey F01 → F02",))]
    assert v2.codes[made["wall"].GlobalId] == v1.codes[made["wall"].GlobalId]
    assert len(v2.kept) == 6


@pytest.mark.shared_data
def test_a_real_precast_balcony_model(shared_ifc_dir):
    index = load_index(shared_ifc_dir / "Schependomlaan_ROOT-prefab_balkons.ifc")
    components = components_from_index(index)
    assert [(c.name, c.type_code, c.concrete_grade, c.storey) for c in components] == [
        ("prefab balkon", "YYB", "C20/25", 2),
        ("prefab balkon", "YYB", "C20/25", 3),
        ("prefab balkon", "YYB", "C20/25", 3),
    ]
    assert all(c.volume_m3 and c.weight_kg == pytest.approx(c.volume_m3 * 2500, abs=1e-3) for c in components)
    result = reconcile({}, components, ISSUER)
    assert len(result.codes) == 3 and result.next_serial == 4

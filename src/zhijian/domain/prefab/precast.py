"""Is an element prefabricated (预制)? Is a wall non-masonry (非砌筑)? Each answer with its evidence.

Rules in order of precedence; the first decisive one wins and every rule that matched is
kept as evidence for the calculation sheet:

1. an override file entry (GlobalId → true/false with a reason); then, for a cast-in-place
   joint (后浇段, 4.0.3 / 4.0.5), its width against the table's limit and nothing else;
2. an explicit property: 是否预制 / 预制构件 / 预制 / IsPrecast … = 是/否, true/false, 1/0;
3. ``Pset_PrecastConcreteElementGeneral`` / ``Pset_PrecastConcreteElementFabrication`` present;
4. an IFC predefined type containing PRECAST (e.g. IfcBuildingElementPart.PRECASTPANEL);
5. name, type name or ObjectType: 预制 / PC / 叠合 / precast / prefab … (现浇 / cast-in-place
   says no);
6. material names, the same words;
7. steel or timber members (factory-made), where the scoring table's policy says so;
8. evidence inherited from the assembly the element is part of (a precast stair's flights).

No evidence → not precast: a regulator can only credit what the model shows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhijian.domain.bim.index import Element
from zhijian.domain.errors import OverrideError

# How a wall's non-masonry evidence says that the wall is a precast component.
PRECAST_EVIDENCE_PREFIX = "precast: "
PRECAST_PSETS = ("Pset_PrecastConcreteElementGeneral", "Pset_PrecastConcreteElementFabrication")
PRECAST_PROPERTIES = ("是否预制", "预制构件", "预制", "IsPrecast", "Precast", "Prefabricated", "IsPrefabricated")
JOINT_PROPERTIES = ("CastInPlaceJoint", "后浇段", "后浇带")
JOINT_WIDTH_PROPERTIES = ("JointWidth", "后浇段宽度", "后浇带宽度")
MASONRY_PROPERTIES = ("是否砌筑", "砌筑", "IsMasonry")
NON_MASONRY_PROPERTIES = ("非砌筑",)
_PRECAST_NAMES = frozenset(PRECAST_PROPERTIES)
_JOINT_NAMES = frozenset(JOINT_PROPERTIES + JOINT_WIDTH_PROPERTIES)
_MASONRY_NAMES = frozenset(MASONRY_PROPERTIES + NON_MASONRY_PROPERTIES)
_PRECAST_OR_JOINT_NAMES = _PRECAST_NAMES | _JOINT_NAMES

# Words are matched case-insensitively, "PC" only as a standalone upper-case token.
_PRECAST_WORDS = re.compile(
    r"(?<!非)预制|叠合|装配式|precast|pre-cast|prefab|prefabricated|fertigteil|filigran|"
    r"kanaalplaat|breedplaat|hollow[ -]?core",
    re.IGNORECASE,
)
_PC_TOKEN = re.compile(r"(?<![A-Za-z])PC(?![A-Za-z])")
_CAST_IN_PLACE_WORDS = re.compile(
    r"现浇|非预制|cast[- ]in[- ](place|situ)|in[- ]situ|ortbeton|ter plaatse gestort", re.IGNORECASE
)
_STEEL_WORDS = re.compile(r"steel|钢(?!筋)|stahl|staal|metal", re.IGNORECASE)
_TIMBER_WORDS = re.compile(r"timber|wood|木|holz|hout|glulam|\bclt\b", re.IGNORECASE)
_CONCRETE_WORDS = re.compile(r"concrete|混凝土|砼|beton", re.IGNORECASE)
_MASONRY_WORDS = re.compile(
    r"砌块|砌体|砌筑|砖|加气块|masonry|brick|\bblock|blok|\bcmu\b|mauerwerk|ziegel|kalksandstein|"
    r"metselwerk|kalkzandsteen|baksteen",
    re.IGNORECASE,
)
_NON_MASONRY_WORDS = re.compile(
    r"条板|墙板|轻质板|\balc\b|蒸压轻质|龙骨|石膏板|幕墙|复合墙|panel|curtain|stud|drywall|gypsum|plasterboard|"
    r"partition board|sandwich|cladding",
    re.IGNORECASE,
)
_YES = {"是", "有", "true", "yes", "y", "1", "t", "预制", ".t."}
_NO = {"否", "无", "false", "no", "n", "0", "f", "现浇", ".f."}


@dataclass(frozen=True, slots=True)
class Evidence:
    rule: str  # override | property | pset | predefined_type | name | material | non_concrete | assembly | none
    detail: str
    says: bool | None  # True = precast / non-masonry, False = against, None = neutral note


@dataclass(frozen=True, slots=True)
class Decision:
    value: bool
    rule: str  # the rule that decided
    evidence: tuple[Evidence, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(e.detail for e in self.evidence)


@dataclass(frozen=True)
class Override:
    guid: str
    precast: bool
    reason: str
    declared_by: str = ""
    line: int | None = None
    # As built: a precast component with no installation record. Besides its precast and
    # non-masonry credit it loses its integration credit (q2b, q2d): that is a property of
    # the component, and nothing shows the component was built.
    not_built: bool = False


@dataclass(frozen=True)
class Overrides:
    file: str
    entries: dict[str, Override]

    def get(self, guid: str) -> Override | None:
        return self.entries.get(guid)


NO_OVERRIDES = Overrides(file="", entries={})


# -- detection --------------------------------------------------------------------------------
def yes_no(value: Any) -> bool | None:
    """A property value as yes / no, None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
    return None


def _props(element: Element, names: frozenset[str]) -> dict[str, Any]:
    """The first value of each named property, whatever its set (one pass, set intersections)."""
    found: dict[str, Any] = {}
    for values in element.psets.values():
        for name in values.keys() & names:
            if name not in found and values[name] is not None:
                found[name] = values[name]
    return found


def material_kind(element: Element) -> str:
    """'steel', 'timber', 'concrete' or 'unknown' from material names (concrete wins a mix)."""
    text = " ".join(element.materials)
    if _CONCRETE_WORDS.search(text):
        return "concrete"
    if _STEEL_WORDS.search(text):
        return "steel"
    if _TIMBER_WORDS.search(text):
        return "timber"
    return "unknown"


def _texts(element: Element) -> list[tuple[str, str]]:
    return [
        (label, value)
        for label, value in (("Name", element.name), ("type", element.type_name), ("ObjectType", element.object_type))
        if value
    ]


# Type names, ObjectTypes and materials repeat on every storey: each text is matched once.
@lru_cache(maxsize=8192)
def _word_evidence(rule: str, label: str, text: str) -> Evidence | None:
    if _CAST_IN_PLACE_WORDS.search(text):
        return Evidence(rule, f"{label} {text!r} says cast-in-place (现浇)", False)
    if _PRECAST_WORDS.search(text) or _PC_TOKEN.search(text):
        return Evidence(rule, f"{label} {text!r} says precast", True)
    return None


_PSET_EVIDENCE = {pset: Evidence("pset", f"{pset} present", True) for pset in PRECAST_PSETS}


def _property_evidence(name: str, value: Any, flip: bool = False) -> Evidence | None:
    """Evidence of a yes/no property, saying its answer (or the opposite, ``flip``): the same
    few values recur on every element, so each is made once."""
    try:
        return _cached_property_evidence(name, value, flip)
    except TypeError:  # a list value (unhashable) is neither yes nor no
        return None


@lru_cache(maxsize=1024, typed=True)  # 1, 1.0 and True print differently
def _cached_property_evidence(name: str, value: Any, flip: bool) -> Evidence | None:
    answer = yes_no(value)
    return None if answer is None else Evidence("property", f"property {name} = {value}", answer != flip)


def precast_evidence(
    element: Element, *, non_concrete_prefabricated: bool = False, props: dict[str, Any] | None = None
) -> list[Evidence]:
    """Every rule (2–7) that says something about the element, in order of precedence.

    ``props``: the element's properties of the precast names, when the caller has read them.
    """
    found: list[Evidence] = []
    if props is None:
        props = _props(element, _PRECAST_NAMES)
    if props:
        for name in PRECAST_PROPERTIES:
            if name in props:
                evidence = _property_evidence(name, props[name])
                if evidence is not None:
                    found.append(evidence)
    psets = element.psets
    found.extend(_PSET_EVIDENCE[pset] for pset in PRECAST_PSETS if pset in psets)
    predefined = element.predefined_type or ""
    if "PRECAST" in predefined.upper():
        found.append(Evidence("predefined_type", f"PredefinedType {predefined}", True))
    for label, text in _texts(element):
        evidence = _word_evidence("name", label, text)
        if evidence:
            found.append(evidence)
    for material in element.materials:
        evidence = _word_evidence("material", "material", material)
        if evidence:
            found.append(evidence)
    if non_concrete_prefabricated and not found:
        kind = material_kind(element)
        if kind in ("steel", "timber"):
            found.append(Evidence("non_concrete", f"{kind} member (material {', '.join(element.materials)}): factory-made", True))
    return found


def joint_evidence(
    element: Element, max_width_m: float | None, clause: str, *, props: dict[str, Any] | None = None
) -> Evidence | None:
    """A cast-in-place joint (后浇段) counts as precast when no wider than the clause allows.

    The joint is its own element with CastInPlaceJoint (或 后浇段/后浇带) = TRUE and its width
    in JointWidth (a length measure; a bare number is read as metres). ``props``: the
    element's properties of the joint names, when the caller has read them.
    """
    if props is None:
        props = _props(element, _JOINT_NAMES)
    if not props or not any(yes_no(props.get(name)) is True for name in JOINT_PROPERTIES):
        return None
    width = next((props[n] for n in JOINT_WIDTH_PROPERTIES if isinstance(props.get(n), (int, float))), None)
    if max_width_m is None:
        return Evidence("joint", f"cast-in-place joint: the scoring table has no width limit for it ({clause})", False)
    if width is None:
        return Evidence("joint", f"cast-in-place joint without JointWidth: not counted ({clause})", False)
    fits = round(float(width), 6) <= round(max_width_m, 6)
    sign = "≤" if fits else ">"
    verdict = "counts as precast" if fits else "too wide, not counted"
    return Evidence("joint", f"cast-in-place joint {float(width):.3f} m {sign} {max_width_m:g} m: {verdict} ({clause})", fits)


def decide_precast(
    element: Element,
    *,
    overrides: Overrides = NO_OVERRIDES,
    whole: Element | None = None,
    non_concrete_prefabricated: bool = False,
    joint_max_width_m: float | None = None,
    joint_clause: str = "",
) -> Decision:
    """Precast or not, with the rule that decided and all evidence seen."""
    props = _props(element, _PRECAST_OR_JOINT_NAMES)  # one pass over the sets for both rules
    joint = None
    if props and not _JOINT_NAMES.isdisjoint(props):
        joint = joint_evidence(element, joint_max_width_m, joint_clause, props=props)
    if joint is not None:
        return _decide(element, [joint], overrides, "")
    evidence = precast_evidence(element, non_concrete_prefabricated=non_concrete_prefabricated, props=props)
    if whole is not None and not evidence:
        inherited = precast_evidence(whole, non_concrete_prefabricated=non_concrete_prefabricated)
        evidence = [
            Evidence("assembly", f"from {whole.ifc_class} {whole.label!r}: {e.detail}", e.says) for e in inherited
        ]
    return _decide(element, evidence, overrides, "no precast evidence (no precast property, pset, type or name)")


def decide_non_masonry(
    element: Element,
    *,
    overrides: Overrides = NO_OVERRIDES,
    precast: Decision | None = None,
) -> Decision:
    """非砌筑? Precast panels, curtain walls, boards and light frames are; blocks and bricks are not."""
    evidence: list[Evidence] = []
    props = _props(element, _MASONRY_NAMES)
    if props:
        for names, flip in ((NON_MASONRY_PROPERTIES, False), (MASONRY_PROPERTIES, True)):
            for name in names:
                if name in props:
                    found = _property_evidence(name, props[name], flip)
                    if found is not None:
                        evidence.append(found)
    if element.ifc_class == "IfcCurtainWall":
        evidence.append(Evidence("class", "IfcCurtainWall (幕墙)", True))
    if precast is not None and precast.value:
        evidence.append(Evidence("precast", f"{PRECAST_EVIDENCE_PREFIX}{precast.explanation}", True))
    texts = [*_texts(element), *(("material", m) for m in element.materials)]
    words = [(label, text, *_masonry_words(text)) for label, text in texts]
    for label, text, masonry, _panel in words:
        if masonry:
            evidence.append(Evidence("name" if label != "material" else "material", f"{label} {text!r} says masonry", False))
    for label, text, masonry, panel in words:
        if panel and not masonry:
            evidence.append(Evidence("name" if label != "material" else "material", f"{label} {text!r} says panel or frame", True))
    return _decide(element, evidence, overrides, "no evidence of non-masonry construction (panel, board, frame, curtain wall)")


@lru_cache(maxsize=8192)
def _masonry_words(text: str) -> tuple[bool, bool]:
    """(says masonry, says panel or frame) for one name or material."""
    return bool(_MASONRY_WORDS.search(text)), bool(_NON_MASONRY_WORDS.search(text))


def decide_flag(element: Element, names: Iterable[str]) -> Decision | None:
    """A yes/no property such as 保温隔热装饰一体化; None when the element does not carry one."""
    props = _props(element, frozenset(names))
    for name in names:
        answer = yes_no(props.get(name))
        if answer is not None:
            return Decision(answer, "property", (Evidence("property", f"property {name} = {props[name]}", answer),))
    return None


def _decide(element: Element, evidence: list[Evidence], overrides: Overrides, none_reason: str) -> Decision:
    override = overrides.get(element.guid)
    if override is not None:
        detail = f"override ({overrides.file}"
        detail += f" line {override.line})" if override.line else ")"
        detail += f": {'yes' if override.precast else 'no'} — {override.reason}"
        if override.declared_by:
            detail += f" [{override.declared_by}]"
        return Decision(override.precast, "override", (Evidence("override", detail, override.precast), *evidence))
    decisive = next((e for e in evidence if e.says is not None), None)
    if decisive is None:
        return Decision(False, "none", (*evidence, Evidence("none", none_reason, None)))
    return Decision(bool(decisive.says), decisive.rule, tuple(evidence))


# -- override files ---------------------------------------------------------------------------
def load_overrides(path: Path | str) -> Overrides:
    """Read a JSON or CSV override file (GlobalId → precast true/false, reason required).

    JSON: ``{"overrides": [{"guid": "...", "precast": true, "reason": "...", "declared_by": "..."}]}``
    (or the bare list). CSV: a header ``guid,precast,reason[,declared_by]``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OverrideError(f"no such override file: {path}") from None
    except UnicodeDecodeError:
        raise OverrideError(f"{path.name}: not a UTF-8 text file") from None
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(text, path.name)
    elif path.suffix.lower() == ".json":
        rows = _json_rows(text, path.name)
    else:
        raise OverrideError(f"{path.name}: an override file must be .json or .csv")
    entries: dict[str, Override] = {}
    for line, row in rows:
        where = f"{path.name} line {line}" if line else path.name
        unknown = sorted(set(row) - {"guid", "globalid", "precast", "reason", "declared_by"})
        if unknown:
            raise OverrideError(f"{where}: unknown field {', '.join(unknown)} (expected guid, precast, reason, declared_by)")
        guid = str(row.get("guid") or row.get("globalid") or "").strip()
        if not guid:
            raise OverrideError(f"{where}: no guid")
        answer = yes_no(row.get("precast"))
        if answer is None:
            raise OverrideError(f"{where}: guid {guid}: precast must be true or false, not {row.get('precast')!r}")
        reason = str(row.get("reason") or "").strip()
        if not reason:
            raise OverrideError(f"{where}: guid {guid}: a reason is required")
        if guid in entries:
            raise OverrideError(f"{where}: guid {guid} is overridden twice (first on line {entries[guid].line})")
        entries[guid] = Override(guid, answer, reason, str(row.get("declared_by") or "").strip(), line)
    return Overrides(file=path.name, entries=entries)


def check_overrides(overrides: Overrides, known_guids: Iterable[str]) -> None:
    """Refuse an override for an element the model does not have (a typo would silently do nothing)."""
    known = set(known_guids)
    for entry in overrides.entries.values():
        if entry.guid not in known:
            where = f"{overrides.file} line {entry.line}" if entry.line else overrides.file
            raise OverrideError(f"{where}: guid {entry.guid} is not an element of this model")


def _csv_rows(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"precast", "reason"} <= {f.strip().lower() for f in reader.fieldnames}:
        raise OverrideError(f"{name} line 1: the header must name guid, precast and reason")
    rows = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if None in row:
            raise OverrideError(f"{name} line {reader.line_num}: more values than header fields")
        rows.append((reader.line_num, {k.strip().lower(): (v or "").strip() for k, v in row.items()}))
    return rows


def _json_rows(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OverrideError(f"{name} line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if isinstance(raw, dict):
        unknown = sorted(set(raw) - {"overrides"})
        if unknown:
            raise OverrideError(f"{name}: unknown top-level key {', '.join(unknown)} (expected 'overrides')")
        raw = raw.get("overrides")
    if not isinstance(raw, list):
        raise OverrideError(f"{name}: expected a list of overrides")
    lines = text.splitlines()
    rows = []
    for position, row in enumerate(raw):
        if not isinstance(row, dict):
            raise OverrideError(f"{name}: overrides[{position}] must be an object")
        guid = str(row.get("guid") or row.get("globalid") or "")
        line = next((n for n, text_line in enumerate(lines, 1) if guid and f'"{guid}"' in text_line), None)
        rows.append((line or 0, {str(k).lower(): v for k, v in row.items()}))
    return rows

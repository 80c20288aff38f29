"""Run an IDS 1.0 file (buildingSMART Information Delivery Specification) as an extra rule pack.

ifctester does the checking; this module only translates its results into the engine's
rows: each specification becomes a rule row, each failing entity a finding, with the same
keys as :mod:`zhijian.domain.review.engine` writes so that every report treats them alike.

Decisions:
- A specification is *mandatory* when its usage is "required" (minOccurs ≥ 1) or
  "prohibited" (maxOccurs = 0); "optional" ones are advisory-free but not mandatory.
- A required specification with no applicable entity fails once, on the IfcProject.
- A specification whose ``ifcVersion`` excludes the model's schema is reported with nothing
  checked (IDS says it does not apply), matched by schema family so IFC4X3 == IFC4X3_ADD2.
- The rule version is the first 12 hex digits of the IDS file's SHA-256: a changed file is a
  changed rule, whatever its ``<version>`` says.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import ifcopenshell
from ifctester import ids as ifc_ids
from ifctester.facet import Attribute, Classification, Entity, Facet, Material, PartOf, Property
from xmlschema import XMLSchemaException

from zhijian.domain.bim.index import ModelIndex
from zhijian.domain.bim.model_file import schema_family
from zhijian.domain.errors import BadIdsError

IDS_NAMESPACE = "http://standards.buildingsmart.org/IDS"


def run_ids(index: ModelIndex, path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(pack row, rule rows, findings) of one IDS file checked against the model."""
    path = Path(path)
    document, identifiers = open_ids(path)
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    family = schema_family(index.ifc.schema_identifier)
    specs = list(document.specifications)
    runnable = [s for s in specs if family in {schema_family(v) for v in _versions(s)}]
    document.specifications = runnable
    document.validate(index.ifc)
    pack_id = f"IDS:{path.stem}"
    title = document.info.get("title") or path.name
    pack_row = {"id": pack_id, "version": version, "title": title, "title_en": title}

    rows: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for number, (spec, identifier) in enumerate(zip(specs, identifiers, strict=True), start=1):
        rule_id = _unique_rule_id(pack_id, spec.name, number, {r["rule_id"] for r in rows})
        meta = {
            "rule_id": rule_id,
            "version": version,
            "standard": "IDS",
            "clause": identifier or spec.name or str(number),
            "mandatory": spec.get_usage() in ("required", "prohibited"),
            "advisory": False,
        }
        spec_findings = _spec_findings(index, spec, meta) if spec in runnable else []
        rows.append(_rule_row(spec, meta, spec_findings, ran=spec in runnable))
        findings.extend(spec_findings)
    return pack_row, rows, findings


def open_ids(path: Path) -> tuple[ifc_ids.Ids, list[str | None]]:
    """Parse and XSD-validate an IDS file; any defect raises BadIdsError with a one-line reason.

    Like ``ifctester.ids.open``, but keeps each specification's ``identifier``, which
    ifctester 0.9 drops while parsing and which is the clause a finding cites.
    """
    path = Path(path)
    if not path.is_file():
        raise BadIdsError(f"no such IDS file: {path}")
    try:
        decoded = ifc_ids.get_schema().decode(
            str(path), strip_namespaces=True, namespaces={"": IDS_NAMESPACE}
        )
        document = ifc_ids.Ids().parse(decoded)
    except XMLSchemaException as exc:
        # Validation errors carry the offending path; parse errors a line and column.
        reason = getattr(exc, "reason", None) or str(exc)
        where = getattr(exc, "path", None)
        raise BadIdsError(
            f"invalid IDS file {path.name}: {_one_line(reason)}" + (f" at {where}" if where else "")
        ) from exc
    except SyntaxError as exc:  # ElementTree.ParseError
        raise BadIdsError(f"invalid IDS file {path.name}: not XML ({_one_line(str(exc))})") from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadIdsError(f"invalid IDS file {path.name}: {_one_line(repr(exc))}") from exc
    raw = decoded.get("specifications", {}).get("specification", [])
    raw = raw if isinstance(raw, list) else [raw]
    identifiers = [s.get("@identifier") if isinstance(s, dict) else None for s in raw]
    return document, identifiers


def _versions(spec: ifc_ids.Specification) -> list[str]:
    versions = spec.ifcVersion
    return versions.split() if isinstance(versions, str) else list(versions or ())


def _unique_rule_id(pack_id: str, name: str | None, number: int, taken: set[str]) -> str:
    rule_id = f"{pack_id}:{name.strip()}" if name and name.strip() else f"{pack_id}:{number}"
    return rule_id if rule_id not in taken else f"{rule_id}#{number}"


def _rule_row(
    spec: ifc_ids.Specification, meta: dict[str, Any], findings: list[dict[str, Any]], *, ran: bool
) -> dict[str, Any]:
    checked = [e for e in spec.applicable_entities if _has_guid(e)] if ran else []
    failed = len(findings)
    title = spec.name or meta["rule_id"].rsplit(":", 1)[-1]
    return {
        **meta,
        "verification": "V",
        "standard_status": "current",
        "discipline": "information",
        "title_zh": title,
        "title_en": title,
        "description": spec.description or "",
        # A required specification that found nothing to check still counts one failed check.
        "checked": max(len(spec.applicable_entities) if ran else 0, failed),
        "passed": max(len(spec.applicable_entities) - failed, 0) if ran else 0,
        "failed": failed,
        "missing_data": 0,
        "not_applicable": 0,
        "_guids": [e.GlobalId for e in checked],
    }


def _spec_findings(index: ModelIndex, spec: ifc_ids.Specification, meta: dict[str, Any]) -> list[dict[str, Any]]:
    usage = spec.get_usage()
    if usage == "required" and not spec.applicable_entities:
        projects = index.ifc.by_type("IfcProject")
        if not projects:
            return []
        return [
            _finding(
                index,
                projects[0],
                meta,
                "模型中没有适用于此规范的构件，而规范要求至少有一个",
                "no entity in the model is applicable, but the specification requires at least one",
            )
        ]
    if usage == "prohibited":
        return [
            _finding(index, e, meta, "此类构件被规范禁止出现", "the specification prohibits such entities")
            for e in _sorted(spec.applicable_entities)
        ]
    reasons: dict[int, list[tuple[str, str]]] = {}
    for facet in spec.requirements:
        for failure in facet.failures:
            entity = failure["element"]
            reasons.setdefault(entity.id(), []).append(_reason(facet, entity, spec, failure["reason"]))
    return [
        _finding(index, e, meta, "；".join(r[0] for r in reasons[e.id()]), "; ".join(r[1] for r in reasons[e.id()]))
        for e in _sorted(spec.failed_entities)
    ]


def _sorted(entities: Any) -> list[ifcopenshell.entity_instance]:
    return sorted(entities, key=lambda e: e.id())


def _has_guid(entity: ifcopenshell.entity_instance) -> bool:
    return bool(getattr(entity, "GlobalId", None))


def _finding(
    index: ModelIndex,
    entity: ifcopenshell.entity_instance,
    meta: dict[str, Any],
    message_zh: str,
    message_en: str,
) -> dict[str, Any]:
    # Entities without a GlobalId (materials, property sets) are named by their STEP id.
    guid = entity.GlobalId if _has_guid(entity) else f"#{entity.id()}"
    element = index.elements.get(guid)
    return {
        "rule_id": meta["rule_id"],
        "rule_version": meta["version"],
        "standard": meta["standard"],
        "clause": meta["clause"],
        "mandatory": meta["mandatory"],
        "advisory": meta["advisory"],
        "status": "fail",
        "guid": guid,
        "ifc_class": entity.is_a(),
        "name": element.label if element else getattr(entity, "Name", None),
        "storey": index.storey_name(element) if element else None,
        "measured": None,
        "required": None,
        "unit": "",
        "message_zh": message_zh,
        "message_en": message_en,
    }


# -- messages ----------------------------------------------------------------------------
# ifctester explains failures in English only; its Result objects carry a reason type that
# we translate. The facet is re-evaluated for the failing entity (cheap: failures only).

_REASONS_ZH = {
    "NAME": "实体类型“{actual}”不符合要求",
    "PREDEFINEDTYPE": "预定义类型“{actual}”不符合要求",
    "NOPSET": "缺少属性集",
    "NOVALUE": "缺少要求的数据",
    "FALSEY": "值为空",
    "VALUE": "值“{actual}”不符合要求",
    "DATATYPE": "数据类型“{actual}”不符合要求的 {dataType}",
    "SYSTEM": "分类体系“{actual}”不符合要求",
    "ENTITY": "关联实体“{actual}”不符合要求",
    "PROHIBITED": "不应满足该要求（禁止项）",
    "INVALID": "IDS 中指定的属性名无效",
}


def _reason(facet: Facet, entity: ifcopenshell.entity_instance, spec: ifc_ids.Specification, reason_en: str) -> tuple[str, str]:
    subject_zh = _facet_zh(facet)
    subject_en = facet.to_string("requirement", spec, facet)
    result = facet(entity)
    detail = getattr(result, "reason", None) or {}
    template = _REASONS_ZH.get(detail.get("type", ""), "")
    try:
        reason_zh = template.format(**{k: _short(v) for k, v in detail.items()}) if template else reason_en
    except (KeyError, IndexError):
        reason_zh = reason_en
    return f"{subject_zh}：{reason_zh}", f"{subject_en}: {reason_en}"


def _facet_zh(facet: Facet) -> str:
    if isinstance(facet, Entity):
        return f"IFC 类 {facet.name}" + (f"（{facet.predefinedType}）" if facet.predefinedType else "")
    if isinstance(facet, Property):
        return f"属性集 {facet.propertySet} 的属性 {facet.baseName}"
    if isinstance(facet, Attribute):
        return f"属性 {facet.name}"
    if isinstance(facet, Classification):
        return "分类" + (f" {facet.system}" if facet.system else "")
    if isinstance(facet, Material):
        return "材料" + (f" {facet.value}" if facet.value else "")
    if isinstance(facet, PartOf):
        return f"从属关系 {facet.name}"
    return type(facet).__name__


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _one_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return (lines[0] if lines else "unknown error")[:200]

"""``report.bcf``: the findings as BCF 3.0 issues, written and read with bcf-client.

Decisions:
- One topic per (rule, storey) with the failing elements as the selected components of one
  viewpoint, so a designer opens a rule's problems on a storey in one click in any BCF tool.
- Topic type "Error" when the rule is mandatory (and not advisory), "Warning" otherwise;
  priority High / Normal to match.
- missing_data findings get their own topics of type "Information" (priority Low): they tell
  the modeller what data to add, which is work to track, but they are not code violations.
- The viewpoint has no camera: the report holds no geometry, and BCF 3.0 makes cameras
  optional; viewers zoom to the selection. Findings without an IFC GlobalId (IDS findings on
  entities that have none) are named in the description but are not components.
- Topic types, statuses, priorities and labels used are declared in ``extensions.xml``, as
  BCF 3.0 requires.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
import zipfile
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import bcf.v2.bcfxml
import bcf.v2.model
import bcf.v3.bcfxml
import bcf.v3.model as mdl
from bcf.v3.visinfo import VisualizationInfoHandler, build_components
from bcf.xml_parser import XmlParserSerializer

# xsdata is bcf-client's XML binding; only its parser configuration is used here.
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig

AUTHOR = "zhijian"
MESSAGES_IN_DESCRIPTION = 5
_IFC_GUID = re.compile(r"^[0-9A-Za-z_$]{22}$")

_TEXT = {
    "no_storey": ("未归属楼层", "No storey"),
    "missing_prefix": ("数据缺失", "Missing data"),
    "clause": ("{standard} 第 {clause} 条", "{standard} clause {clause}"),
    "failed": ("{n} 个构件不符合要求。", "{n} elements fail."),
    "missing": ("{n} 个构件缺少所需数据，无法检查。", "{n} elements lack the data needed to check them."),
    "more": ("……另有 {n} 条", "… and {n} more"),
}

TOPIC_TYPES = ("Error", "Warning", "Information")
PRIORITIES = ("High", "Normal", "Low")
STATUS_OPEN = "Open"


def write_bcf(report: dict[str, Any], out_dir: Path, lang: str = "zh") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.bcf"
    topics = topic_plan(report, lang)
    labels = sorted({label for topic in topics for label in topic.labels})
    extensions = mdl.Extensions(
        topic_types=mdl.ExtensionsTopicTypes(topic_type=list(TOPIC_TYPES)),
        topic_statuses=mdl.ExtensionsTopicStatuses(topic_status=[STATUS_OPEN]),
        priorities=mdl.ExtensionsPriorities(priority=list(PRIORITIES)),
        topic_labels=mdl.ExtensionsTopicLabels(topic_label=labels) if labels else None,
    )
    model_file = report["model"].get("file")
    bcf_file = bcf.v3.bcfxml.BcfXml.create_new(project_name=model_file or "Zhijian review", extensions=extensions)
    header = mdl.Header(files=mdl.HeaderFiles(file=[mdl.File(filename=model_file)])) if model_file else None
    for number, planned in enumerate(topics, start=1):
        handler = bcf_file.add_topic(
            planned.title, planned.description, AUTHOR, topic_type=planned.topic_type, topic_status=STATUS_OPEN
        )
        topic = handler.topic
        topic.priority = planned.priority
        topic.index = number
        topic.labels = mdl.TopicLabels(label=list(planned.labels))
        if header is not None:
            handler.header = header
        if planned.guids:
            visinfo = mdl.VisualizationInfo(guid=str(uuid.uuid4()), components=build_components(*planned.guids))
            handler.add_visinfo_handler(VisualizationInfoHandler(visinfo))
    bcf_file.save(path)
    bcf_file.close()
    return path


@dataclass(frozen=True)
class PlannedTopic:
    title: str
    description: str
    topic_type: str
    priority: str
    labels: tuple[str, ...]
    guids: tuple[str, ...]


def topic_plan(report: dict[str, Any], lang: str = "zh") -> list[PlannedTopic]:
    """The topics write_bcf writes, in order: failures first, then missing data."""
    en = lang == "en"
    text = {k: v[1] if en else v[0] for k, v in _TEXT.items()}
    rules = {r["rule_id"]: r for r in report["rules"]}
    order = {s["name"]: i for i, s in enumerate(report["model"]["storeys"])}
    planned = []
    for status in ("fail", "missing_data"):
        findings = sorted(
            (f for f in report["findings"] if f["status"] == status),
            key=lambda f: (f["rule_id"], order.get(f["storey"], len(order)), f["storey"] or "", f["guid"]),
        )
        for (rule_id, storey), group in groupby(findings, key=lambda f: (f["rule_id"], f["storey"])):
            planned.append(_plan(list(group), rules.get(rule_id, {}), storey, status, text, en))
    return planned


def _plan(
    findings: list[dict[str, Any]],
    rule: dict[str, Any],
    storey: str | None,
    status: str,
    text: dict[str, str],
    en: bool,
) -> PlannedTopic:
    first = findings[0]
    rule_title = rule.get("title_en" if en else "title_zh") or ""
    storey_name = storey or text["no_storey"]
    title = f"{first['rule_id']} · {storey_name}" + (f" · {rule_title}" if rule_title else "")
    if status == "missing_data":
        title = f"[{text['missing_prefix']}] {title}"
        topic_type, priority = "Information", "Low"
    elif first["mandatory"] and not first.get("advisory"):
        topic_type, priority = "Error", "High"
    else:
        topic_type, priority = "Warning", "Normal"
    citation = (
        text["clause"].format(standard=first["standard"], clause=first["clause"])
        if first.get("clause")
        else first["standard"]
    )
    lines = [citation, text["failed" if status == "fail" else "missing"].format(n=len(findings))]
    for finding in findings[:MESSAGES_IN_DESCRIPTION]:
        message = finding["message_en"] if en else finding["message_zh"]
        lines.append(f"- {finding.get('name') or finding['guid']} ({finding['guid']}): {message}")
    if len(findings) > MESSAGES_IN_DESCRIPTION:
        lines.append(text["more"].format(n=len(findings) - MESSAGES_IN_DESCRIPTION))
    labels = tuple(dict.fromkeys(x for x in (first["standard"], rule.get("discipline")) if x))
    guids = tuple(dict.fromkeys(f["guid"] for f in findings if _IFC_GUID.match(f["guid"] or "")))
    return PlannedTopic(title, "\n".join(lines), topic_type, priority, labels, guids)


# -- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BcfTopic:
    """What Zhijian needs from a topic of any BCF file (2.0, 2.1 or 3.0)."""

    guid: str
    title: str | None
    topic_type: str | None
    topic_status: str | None
    priority: str | None
    labels: tuple[str, ...]
    description: str | None
    selected_guids: tuple[str, ...]  # over all viewpoints, in order, without repeats


def read_bcf(path: Path) -> tuple[str, list[BcfTopic]]:
    """(BCF version, topics) of a BCF file, tolerant of real-world files.

    Exported files often deviate from the schema (BCF 2.0 release candidates without
    CreationDate, Solibri's ``VerbalStatus`` on comments, a missing ``bcf.version``), so
    parsing skips unknown elements and leaves missing required fields empty instead of failing.
    bcf-client models BCF 2.1 and 3.0; BCF 2.0 lists components without a ``Selection``,
    which :class:`_Bcf20Visinfo` reads.
    """
    path = Path(path)
    handler = _LenientXml()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        version = "2.0"
        if "bcf.version" in names:
            version = bcf.v3.bcfxml.BcfXml.load(path, handler).version.version_id or "2.0"
        v3 = version.startswith("3")
        loader = bcf.v3.bcfxml.BcfXml if v3 else bcf.v2.bcfxml.BcfXml
        visinfo_class = mdl.VisualizationInfo if v3 else bcf.v2.model.VisualizationInfo
        bcf_file = loader.load(path, handler)
        try:
            topics = []
            for guid, topic_handler in sorted(bcf_file.topics.items()):
                topic = topic_handler.topic
                if v3:
                    references = topic.viewpoints.view_point if topic.viewpoints else []
                else:
                    references = topic_handler.markup.viewpoints or []
                files = [f"{guid}/{r.viewpoint}" for r in references if r.viewpoint]
                selected = _selected_guids(archive, [f for f in files if f in names], visinfo_class, handler)
                topics.append(_topic(guid, topic, selected))
        finally:
            bcf_file.close()
    return version, topics


def _selected_guids(
    archive: zipfile.ZipFile, members: list[str], visinfo_class: type, handler: XmlParserSerializer
) -> tuple[str, ...]:
    selected: dict[str, None] = {}
    for member in members:
        data = archive.read(member)
        components = handler.parse(data, visinfo_class).components
        selection = components.selection if components is not None else None
        if selection is not None and selection.component:
            guids = [c.ifc_guid for c in selection.component]
        else:
            legacy = handler.parse(data, _Bcf20Visinfo).components
            guids = [c.ifc_guid for c in (legacy.component if legacy else []) if c.selected]
        selected.update((g, None) for g in guids if g)
    return tuple(selected)


def _topic(guid: str, topic: Any, selected: tuple[str, ...]) -> BcfTopic:
    labels = topic.labels
    label_list = labels.label if labels is not None and hasattr(labels, "label") else (labels or [])
    return BcfTopic(
        guid=topic.guid or guid,
        title=topic.title,
        topic_type=topic.topic_type,
        topic_status=topic.topic_status,
        priority=topic.priority,
        labels=tuple(label_list),
        description=topic.description,
        selected_guids=selected,
    )


@dataclass
class _Bcf20Component:
    ifc_guid: str | None = dataclasses.field(default=None, metadata={"name": "IfcGuid", "type": "Attribute"})
    selected: bool = dataclasses.field(default=False, metadata={"name": "Selected", "type": "Attribute"})


@dataclass
class _Bcf20Components:
    component: list[_Bcf20Component] = dataclasses.field(
        default_factory=list, metadata={"name": "Component", "type": "Element", "namespace": ""}
    )


@dataclass
class _Bcf20Visinfo:
    """The part of a BCF 2.0 viewpoint we read: components flagged ``Selected``."""

    class Meta:
        name = "VisualizationInfo"

    components: _Bcf20Components | None = dataclasses.field(
        default=None, metadata={"name": "Components", "type": "Element", "namespace": ""}
    )


def _lenient_factory(cls: type, params: dict[str, Any]) -> Any:
    try:
        return cls(**params)
    except TypeError:
        if not dataclasses.is_dataclass(cls):
            raise
        missing = {
            f.name: None
            for f in dataclasses.fields(cls)
            if f.name not in params
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        }
        return cls(**params, **missing)


class _LenientXml(XmlParserSerializer):
    """bcf-client's XML handler with a forgiving parser (writing is unchanged)."""

    def __init__(self) -> None:
        super().__init__()
        config = ParserConfig(fail_on_unknown_properties=False, class_factory=_lenient_factory)
        self.parser = XmlParser(config=config, context=self.context)
        self.parser.register_namespace(ns_map=self.parser.ns_map, prefix="xs", uri="http://www.w3.org/2001/XMLSchema")

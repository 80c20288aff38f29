"""The calculation sheet (装配式建筑评价表 / 装配率计算书): ``assembly-rate.json`` and ``.html``.

The JSON (``AssemblyRateResult.to_dict()``) is canonical; the HTML is rendered from it, never
computed separately. The HTML is one self-contained file (inline CSS, no assets), Chinese by
default, English with ``lang="en"``. Element lists are bounded per item but always state the
full counts, so a truncated list never reads as a complete one.
"""

from __future__ import annotations

import json
import json.encoder
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from zhijian.domain.prefab.result import AssemblyRateResult

ROW_LIMIT = 200  # elements shown per item list (and for the excluded list)

MESSAGES: dict[str, tuple[str, str]] = {
    "title": ("装配式建筑评价表（装配率计算书）", "Prefabricated building assessment (assembly rate)"),
    "basis": ("评价依据", "Standard"),
    "table_version": ("评分表版本", "Scoring table version"),
    "model": ("模型文件", "Model file"),
    "schema": ("IFC 版本", "IFC schema"),
    "unit": ("长度单位", "Length unit"),
    "building": ("评价单元（单体建筑）", "Evaluation unit (building)"),
    "declarations": ("申报文件", "Declaration file"),
    "overrides": ("预制认定修正文件", "Precast override file"),
    "none": ("无", "none"),
    "advisory_banner": (
        "参考结果：本计算所依据的部分条文或口径尚未对照标准正式文本核实（U），仅供参考，不能作为认定依据。",
        "Advisory: some provisions or measurement rules used are unverified (U); this result is for reference only.",
    ),
    "incomplete_banner": (
        "结果不完整：部分评价项无法评价或部分构件无法计量（见下文），结果不能作为认定依据。",
        "Incomplete: some items could not be evaluated or some elements could not be measured (see below).",
    ),
    "summary": ("评价结论", "Result"),
    "p": ("装配率 P", "Assembly rate P"),
    "formula": ("计算公式", "Formula"),
    "recognised_yes": ("满足装配式建筑认定的全部前提条件，认定为装配式建筑。", "All preconditions met: a prefabricated building."),
    "recognised_no": ("不满足装配式建筑认定的前提条件，不认定为装配式建筑。", "Preconditions not met: not a prefabricated building."),
    "grade": ("评价等级", "Grade"),
    "no_grade": ("不评级", "not graded"),
    "score_table": ("评分表（表 4.0.1）", "Scores (table 4.0.1)"),
    "part": ("评价部分", "Part"),
    "item": ("评价项", "Item"),
    "requirement": ("评价要求", "Requirement"),
    "score_range": ("评价分值", "Points"),
    "ratio": ("比例", "Ratio"),
    "score": ("得分", "Score"),
    "source": ("数据来源", "Source"),
    "verification": ("核实", "Verified"),
    "part_total": ("小计", "Subtotal"),
    "part_min": ("最低分值", "Minimum"),
    "missing": ("缺项分值", "Missing items"),
    "source_model": ("模型", "model"),
    "source_declaration": ("申报", "declared"),
    "status_absent": ("缺项", "absent"),
    "status_not_evaluated": ("未评价", "not evaluated"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "not declared": ("未申报", "not declared"),
    "preconditions": ("认定前提条件（3.0.3）", "Preconditions (3.0.3)"),
    "grade_preconditions": ("定级前提条件（5.0.1）", "Grading precondition (5.0.1)"),
    "condition": ("条件", "Condition"),
    "required": ("要求", "Required"),
    "actual": ("实际", "Actual"),
    "met": ("是否满足", "Met"),
    "grades": ("等级划分（5.0.2）", "Grades (5.0.2)"),
    "not_evaluated": ("无法评价的评价项", "Items not evaluated"),
    "items_detail": ("各评价项计算明细", "Item details"),
    "numerator": ("计入部分", "Credited"),
    "denominator": ("总量", "Total"),
    "basis_rule": ("计算口径", "Measurement rule"),
    "elements": ("构件", "Elements"),
    "shown_fmt": ("共 {total} 个，显示前 {shown} 个", "{total} in all, first {shown} shown"),
    "all_fmt": ("共 {total} 个", "{total} in all"),
    "guid": ("GlobalId", "GlobalId"),
    "class": ("IFC 类", "IFC class"),
    "name": ("名称", "Name"),
    "storey": ("楼层", "Storey"),
    "category": ("构件类别", "Category"),
    "quantity": ("工程量", "Quantity"),
    "quantity_source": ("取数来源", "Taken from"),
    "counted": ("计入", "Credited"),
    "evidence": ("认定依据", "Evidence"),
    "unmeasured": ("无法计量的构件（未计入分子与分母）", "Elements that could not be measured (left out of both sides)"),
    "reason": ("原因", "Reason"),
    "declaration": ("申报信息", "Declaration"),
    "declared_value": ("申报值", "Value"),
    "declared_by": ("申报人", "Declared by"),
    "role": ("身份", "Role"),
    "date": ("日期", "Date"),
    "evidence_note": ("证明材料", "Evidence"),
    "excluded": ("未纳入计算的候选构件", "Candidate elements left out"),
    "out_of_building": ("其他单体中的构件 {n} 个不在本评价单元内。", "{n} elements belong to other buildings."),
    "notes": ("说明", "Notes"),
    "advisory_reasons": ("未核实（U）的依据", "Unverified (U) facts used"),
    "legend": (
        "核实标记：V 已读到原文或逐字转载；S 二手资料核对；U 未核实。带 * 的分值按线性内插计算，结果取小数点后 1 位。",
        "Verification: V verified; S second-hand; U unverified. Points marked * are interpolated, to 1 decimal.",
    ),
    "table_source": ("评分表来源", "Scoring table source"),
    "lang": ("zh-Hans", "en"),
}


def _t(lang: str) -> dict[str, str]:
    column = 0 if lang == "zh" else 1
    return {key: pair[column] for key, pair in MESSAGES.items()}


def write_json(result: AssemblyRateResult | dict[str, Any], out_dir: Path) -> Path:
    """``assembly-rate.json``; ``result`` may be its ``to_dict()`` already (the CLI makes it once
    for both files)."""
    data = result.to_dict() if isinstance(result, AssemblyRateResult) else result
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "assembly-rate.json"
    path.write_text(dumps(data), encoding="utf-8")
    return path


# json's C encoder runs only without ``indent`` (with it, the pure-Python one is 4–5× slower):
# the structure is indented by hand and each element line encoded in C.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_INDENTED_LEVELS = 4  # result → items → item → elements: one element per line below that
# The C encoder itself, made once: ``JSONEncoder.encode`` builds a new one (and a closure) on
# every call, a third of the time of encoding one element line. Same settings as _COMPACT
# (no circular check: the result is a tree of fresh dicts and lists).
_c_encoder = json.encoder.c_make_encoder
_ENCODE = (
    _c_encoder(None, _COMPACT.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    if _c_encoder is not None
    else None
)


def _encode(value: Any) -> str:
    """``_COMPACT.encode(value)``."""
    return "".join(_ENCODE(value, 0)) if _ENCODE is not None else _COMPACT.encode(value)


def dumps(data: Any) -> str:
    """``data`` as JSON: objects and lists indented by two spaces down to the element lists,
    each element (and anything deeper) on one line."""
    parts: list[str] = []
    _dump(data, 0, parts)
    return "".join(parts)


def _dump(value: Any, level: int, out: list[str]) -> None:
    if level >= _INDENTED_LEVELS or not isinstance(value, (dict, list, tuple)) or not value:
        out.append(_encode(value))
        return
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict):
        out.append("{")
        for position, (key, item) in enumerate(value.items()):
            out.append(("," if position else "") + inner + _encode(str(key)) + ": ")
            _dump(item, level + 1, out)
        out.append("\n" + "  " * level + "}")
    else:
        out.append("[")
        for position, item in enumerate(value):
            out.append(("," if position else "") + inner)
            _dump(item, level + 1, out)
        out.append("\n" + "  " * level + "]")


@cache
def _template() -> Template:
    """The compiled sheet template, once per process (compiling it costs more than rendering)."""
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: "—" if v is None else f"{v * 100:.1f}%"
    env.filters["num"] = _num
    env.filters["element_rows"] = _element_rows
    return env.get_template("assembly_rate.html.j2")


def render_html(data: dict[str, Any], lang: str = "zh") -> str:
    return _template().render(r=data, t=_t(lang), lang=lang, limit=ROW_LIMIT)


def write_html(result: AssemblyRateResult | dict[str, Any], out_dir: Path, lang: str = "zh") -> Path:
    data = result.to_dict() if isinstance(result, AssemblyRateResult) else result
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "assembly-rate.html"
    path.write_text(render_html(data, lang), encoding="utf-8")
    return path


@pass_context
def _element_rows(context: Context, rows: list[dict[str, Any]]) -> Markup:
    """The ``<tr>`` of each line of an item's element list, as the template would write them.

    Up to 200 rows per list and ten escaped fields per row: in the template that is one
    ``markupsafe.escape`` (a Python-level ``Markup`` per value) for every field, most of the
    sheet's rendering time. Here each distinct text is escaped once per list: storeys,
    categories, quantity sources and evidence repeat from row to row.
    """
    t = context["t"]
    escaped: dict[str, str] = {}

    def esc(text: str) -> str:
        found = escaped.get(text)
        if found is None:
            found = escaped[text] = str(escape(text))
        return found

    yes, no = esc(t["yes"]), esc(t["no"])
    out = []
    for e in rows:
        note = e["note"]
        evidence = "".join(f"<li>{esc(ev)}</li>" for ev in e["evidence"])
        counted = e["counted"]
        out.append(
            f'<tr><td class="guid">{esc(e["guid"])}</td><td>{esc(e["category"] or e["ifc_class"])}</td>'
            f'<td>{esc(e["name"] or "—")}</td><td>{esc(e["storey"] or "—")}</td>\n'
            # _num writes digits, separators and "—" only: nothing to escape.
            f'<td class="n">{_num(e["quantity"], 3)}</td><td class="muted">{esc(e["quantity_source"])}'
            f'{"<br>" + esc(note) if note else ""}</td>\n'
            f'<td class="{"ok" if counted else ""}">{yes if counted else no}</td>\n'
            f'<td><ul class="ev">{evidence}</ul></td></tr>'
        )
    return Markup("\n".join(out))  # the template ends the last row's line


def _num(value: Any, places: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and places <= 1:
        return f"{value:.1f}"
    return f"{value:,.{places}f}"

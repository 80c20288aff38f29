"""Review letters: the opinion letter of a returned round (审查意见告知书) and the approval
certificate (审查合格书), as self-contained HTML and as A4 PDF, from plain values.

Fields, structure and wording follow review-workflow.md §3 and §6:

- a return states its reasons in writing (§1.5, V): findings grouped per discipline, mandatory
  provisions (强制性条文) apart from general issues and marked, each with standard, clause,
  message, location (storey, element, GlobalId) and a reply column with the designer's replies;
  a return without findings is refused;
- an approval carries the §3.2 fields, a discipline × reviewer × checker signature table, the
  legal representative's issue line and the seals; it is refused while a mandatory finding
  stands unwaived (强条必须改完, S), the rule ``workflow.is_blocking`` applies to approvals;
- signatures and seals (§3.5) are empty placeholders: this module never draws a seal;
- what rests on unverified facts is said on the letter: the numbering format (U,
  ``letter_numbering``), the time limit when one is given (``deadlines``), advisory rules.

Chinese by default, English with ``lang="en"``; every fixed string is in ``MESSAGES``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from zhijian.domain.errors import LetterError
from zhijian.domain.review import disciplines as _disciplines
from zhijian.domain.review.deadlines import Deadline
from zhijian.domain.review.workflow import is_blocking

TEMPLATES = Path(__file__).parent / "templates" / "letters"


class Conclusion(enum.StrEnum):
    RETURNED = "returned"  # 审查不合格, 退回: the opinion letter
    APPROVED = "approved"  # 审查合格: the approval certificate


class ReviewerRole(enum.StrEnum):
    REVIEWER = "reviewer"  # 审查人
    CHECKER = "checker"  # 复核人


# Disciplines in the order review-workflow.md §3.1 lists them, then the rule catalogue's own
# groupings (data/disciplines.json), then findings without a discipline.
DISCIPLINES: dict[str, tuple[str, str]] = {
    **{d.key: (d.zh, d.en) for d in _disciplines.default_table().disciplines.values()},
    "": ("其他", "Other"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "title_opinion": ("施工图设计文件审查意见告知书", "Construction drawing review: notice of review opinions"),
    "title_approval": ("施工图设计文件审查合格书", "Construction drawing review: certificate of approval"),
    "pretitle_approval": ("房屋建筑和市政基础设施工程施工图设计文件审查", "Review of construction drawings of buildings and municipal works"),
    "subtitle": ("（含 BIM 模型审查）", "(including the BIM model review)"),
    "number": ("编号", "No."),
    "to": ("致", "To"),
    "opening": (
        "你单位送审的{project}施工图设计文件（含 BIM 模型）已于{submitted}收悉，本次为{round}。"
        "经审查，该施工图设计文件审查不合格，现将审查意见书面告知如下。",
        "The construction drawings (with the BIM model) of {project}, submitted on {submitted} ({round}), "
        "have been reviewed and are not approved. The review opinions follow.",
    ),
    "instruction": (
        "请组织原勘察设计单位按本告知书逐条修改并书面回复，将修改后的施工图设计文件及 BIM 模型送原审查机构复审。"
        "违反强制性条文的问题必须修改。",
        "Have the original designers revise the drawings item by item and reply in writing, then resubmit the "
        "revised drawings and model to the same review agency. Violations of mandatory provisions must be corrected.",
    ),
    "conclusion_approval": (
        "依据《房屋建筑和市政基础设施工程施工图设计文件审查管理办法》，经审查，本工程施工图设计文件（含 BIM 模型）审查合格。",
        "Under the Measures for the review of construction drawings of buildings and municipal works, the "
        "construction drawings of this project (with the BIM model) are approved.",
    ),
    "round_first": ("第 1 次审查", "first review"),
    "round_again": ("第 {n} 次审查（复审）", "review {n} (re-review)"),
    "project_info": ("工程概况", "Project"),
    "project_name": ("工程名称", "Project"),
    "project_number": ("项目编号", "Project number"),
    "project_address": ("工程地址", "Address"),
    "project_category": ("工程类别", "Category"),
    "project_grade": ("工程等级", "Grade"),
    "project_scale": ("工程规模", "Scale"),
    "buildings": ("单体建筑", "Buildings"),
    "construction_unit": ("建设单位", "Construction unit"),
    "survey_unit": ("勘察单位", "Survey unit"),
    "design_unit": ("设计单位", "Design unit"),
    "review_agency": ("审查机构", "Review agency"),
    "submission_number": ("送审编号", "Submission number"),
    "round": ("审查轮次", "Round"),
    "submitted_on": ("送审日期", "Submitted on"),
    "review_due": ("审查时限", "Review due"),
    "review_due_value": ("{due}（{days} 个工作日，{label}）", "{due} ({days} working days, {label})"),
    "advisory_tag": ("参考", "advisory"),
    "issued_on": ("出具日期", "Issued on"),
    "approved_on": ("审查合格日期", "Approved on"),
    "model": ("BIM 模型", "BIM model"),
    "general_opinion": ("总体意见", "General opinion"),
    "summary": ("问题汇总", "Summary"),
    "discipline": ("专业", "Discipline"),
    "mandatory_items": ("违反强制性条文（条）", "Mandatory provisions (items)"),
    "general_items": ("一般性问题（条）", "General issues (items)"),
    "places": ("涉及构件（处）", "Elements"),
    "total": ("合计", "Total"),
    "opinions": ("审查意见", "Review opinions"),
    "mandatory_heading": ("违反强制性条文的问题", "Violations of mandatory provisions"),
    "general_heading": ("一般性问题", "General issues"),
    "mandatory": ("强制性条文", "Mandatory"),
    "advisory": ("参考（依据二手资料）", "Advisory (second-hand source)"),
    "citation": ("{standard} 第 {clause} 条", "{standard} clause {clause}"),
    "rule": ("规则", "rule"),
    "places_count": ("{n} 处", "{n} elements"),
    "no": ("序号", "No."),
    "location": ("位置（楼层 / 构件 / GlobalId）", "Location (storey / element / GlobalId)"),
    "issue": ("问题描述及修改要求", "Issue and required change"),
    "reply": ("设计回复", "Designer's reply"),
    "reply_blank": ("（待回复）", "(to reply)"),
    "missing_data": ("模型数据缺失，无法判定", "The model lacks the data to judge"),
    "no_storey": ("未归属楼层", "No storey"),
    "waivers": ("经审查同意不作修改的问题", "Issues waived by the reviewers"),
    "waiver_item": ("问题", "Issue"),
    "waiver_reason": ("理由", "Reason"),
    "waiver_by": ("同意人 / 日期", "Waived by / on"),
    "remaining": ("附：遗留问题（不影响审查合格）", "Annex: issues remaining (not blocking approval)"),
    "signatures": ("审查人员签字", "Reviewers' signatures"),
    "reviewer_sign": ("审查人员签字", "Reviewer"),
    "checker_sign": ("复核人员签字", "Checker"),
    "sign_here": ("（签字）", "(signature)"),
    "legal_representative": ("法定代表人（签发）", "Legal representative (issued by)"),
    "seal_agency": ("审查机构（盖章）", "Review agency (seal)"),
    "seal_review": ("审查合格专用章", "Review approval seal"),
    "seal_placeholder": ("盖章处", "seal here"),
    "seal_note": (
        "签字与印章由审查机构按规定签署、加盖（实体章或 CA 电子签章），本系统不生成签名或印章。",
        "Signatures and seals are applied by the review agency as required (ink or CA electronic seal); "
        "this system never generates a signature or a seal.",
    ),
    "date": ("日期", "Date"),
    "notes": ("说明", "Notes"),
    "note_machine": (
        "BIM 模型问题由智能审查发现，经审查人员确认后列入本文书。",
        "Model issues were found by the automated check and entered here once a reviewer confirmed them.",
    ),
    "note_numbering": (
        "文书编号格式为可配置项（未核实湖南省编号规则）。",
        "The numbering format is configurable (no Hunan numbering rule was verified).",
    ),
    "note_deadline": (
        "审查时限为参考值：依据未完全核实的计时口径或节假日安排。",
        "The review time limit is advisory: its counting rule or holiday calendar is not fully verified.",
    ),
    "note_advisory": (
        "标“参考”的条目所依据的条文信息来自二手资料，仅供参考。",
        "Items marked advisory rest on second-hand sources.",
    ),
    "note_legal": (
        "本合格书是基本建设程序中的法定文书，不得涂改、伪造；工程竣工后归入工程档案。",
        "This certificate is a statutory document of the construction procedure; it must not be altered or "
        "forged, and goes into the project archive on completion.",
    ),
    "note_changes": (
        "审查合格的施工图不得擅自修改；修改涉及审查内容的，须送原审查机构重新审查。",
        "Approved drawings may not be changed at will; changes touching reviewed content go back to the same "
        "agency for review.",
    ),
    "page": ("第 {page} 页 共 {pages} 页", "Page {page} of {pages}"),
    "none": ("—", "—"),
}


# -- input --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Organisation:
    name: str
    code: str = ""  # 统一社会信用代码, when known


@dataclass(frozen=True)
class Reviewer:
    name: str
    discipline: str  # a key of DISCIPLINES ("architecture", "fire", …) or any other name
    role: str = ReviewerRole.REVIEWER


@dataclass(frozen=True)
class DesignerReply:
    text: str
    author: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class LetterFinding:
    """One finding that stands: a rule failing (or lacking data) on one element."""

    rule_id: str
    standard: str
    clause: str
    message: str
    discipline: str
    mandatory: bool
    guid: str = ""
    element_name: str = ""
    storey: str = ""
    rule_title: str = ""
    advisory: bool = False  # the rule rests on second-hand facts
    status: str = "fail"  # "fail" or "missing_data"
    replies: tuple[DesignerReply, ...] = ()


@dataclass(frozen=True)
class Waiver:
    rule_id: str
    reason: str
    standard: str = ""
    clause: str = ""
    guid: str = ""
    element_name: str = ""
    mandatory: bool = False
    waived_by: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class LetterInput:
    letter_number: str
    conclusion: str  # Conclusion: "returned" → opinion letter, "approved" → approval certificate
    project_name: str
    project_number: str
    construction_unit: Organisation
    design_units: tuple[Organisation, ...]
    review_agency: Organisation
    reviewers: tuple[Reviewer, ...]
    round_number: int
    submitted_on: dt.date
    issued_on: dt.date
    buildings: tuple[str, ...] = ()
    survey_units: tuple[Organisation, ...] = ()
    findings: tuple[LetterFinding, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    submission_number: str = ""
    project_address: str = ""
    project_category: str = ""  # 工程类别
    project_grade: str = ""  # 工程等级
    project_scale: str = ""  # 工程规模
    legal_representative: str = ""
    opinion: str = ""  # the reviewers' general opinion, if any
    model_file: str = ""
    model_sha256: str = ""
    review_deadline: Deadline | None = None  # from deadlines.review_deadline, shown when given


def findings_from_report(
    report: Mapping[str, Any],
    lang: str = "zh",
    replies: Mapping[tuple[str, str], Iterable[DesignerReply]] | None = None,
    exclude: Iterable[tuple[str, str]] = (),
) -> tuple[LetterFinding, ...]:
    """The findings of a JSON report (version 1) as letter findings, in report order.

    ``replies`` by (rule id, GlobalId); ``exclude`` drops keys (waived or not adopted).
    """
    en = lang == "en"
    rules = {r["rule_id"]: r for r in report.get("rules", [])}
    replies = replies or {}
    dropped = set(exclude)
    out = []
    for finding in report.get("findings", []):
        key = (finding["rule_id"], finding.get("guid") or "")
        if key in dropped:
            continue
        rule = rules.get(finding["rule_id"], {})
        out.append(
            LetterFinding(
                rule_id=finding["rule_id"],
                standard=finding.get("standard") or rule.get("standard", ""),
                clause=finding.get("clause") or "",
                message=(finding.get("message_en") if en else finding.get("message_zh")) or "",
                discipline=rule.get("discipline") or "",
                mandatory=bool(finding.get("mandatory")),
                guid=finding.get("guid") or "",
                element_name=finding.get("name") or "",
                storey=finding.get("storey") or "",
                rule_title=(rule.get("title_en") if en else rule.get("title_zh")) or "",
                advisory=bool(finding.get("advisory", rule.get("advisory", False))),
                status=finding.get("status", "fail"),
                replies=tuple(replies.get(key, ())),
            )
        )
    return tuple(out)


class Flagged(Protocol):
    """A finding as far as the plain letter's lists care: its rule's flags."""

    mandatory: bool
    advisory: bool


FlaggedFinding = TypeVar("FlaggedFinding", bound=Flagged)


def mandatory_apart(findings: Iterable[FlaggedFinding]) -> tuple[list[FlaggedFinding], list[FlaggedFinding]]:
    """The plain letter's two lists, each in the order given: the violations of mandatory
    provisions (强制性条文; an advisory rule's finding is not one of them), then general issues."""
    mandatory: list[FlaggedFinding] = []
    general: list[FlaggedFinding] = []
    for finding in findings:
        (mandatory if finding.mandatory and not finding.advisory else general).append(finding)
    return mandatory, general


# -- validation ---------------------------------------------------------------------------
def validate(letter: LetterInput) -> Conclusion:
    """The letter's conclusion, or LetterError with the one thing that is wrong."""
    try:
        conclusion = Conclusion(letter.conclusion)
    except ValueError:
        raise LetterError(f"conclusion must be 'returned' or 'approved', got {letter.conclusion!r}") from None
    required = {
        "letter number": letter.letter_number,
        "project name": letter.project_name,
        "project number": letter.project_number,
        "construction unit": letter.construction_unit.name,
        "review agency": letter.review_agency.name,
    }
    for what, value in required.items():
        if not str(value or "").strip():
            raise LetterError(f"the letter needs a {what}")
    if not any(unit.name.strip() for unit in letter.design_units):
        raise LetterError("the letter needs at least one design unit")
    if not letter.reviewers:
        raise LetterError("the letter needs at least one reviewer to sign it")
    for reviewer in letter.reviewers:
        if not reviewer.name.strip():
            raise LetterError("a reviewer has no name")
        if reviewer.role not in tuple(ReviewerRole):
            raise LetterError(f"reviewer {reviewer.name}: role must be 'reviewer' or 'checker', got {reviewer.role!r}")
    if not isinstance(letter.round_number, int) or letter.round_number < 1:
        raise LetterError(f"the round number must be 1 or more, got {letter.round_number!r}")
    if letter.issued_on < letter.submitted_on:
        raise LetterError(f"the letter is dated {letter.issued_on}, before the submission on {letter.submitted_on}")
    for number, finding in enumerate(letter.findings, start=1):
        if not finding.rule_id.strip() or not finding.message.strip():
            raise LetterError(f"finding {number} needs a rule id and a message")
        if finding.status not in ("fail", "missing_data"):
            raise LetterError(f"finding {number}: status must be 'fail' or 'missing_data', got {finding.status!r}")
    for waiver in letter.waivers:
        if not waiver.reason.strip():
            raise LetterError(f"the waiver of {waiver.rule_id} {waiver.guid}".rstrip() + " has no reason")
    if conclusion is Conclusion.RETURNED and not letter.findings:
        raise LetterError("a returned letter needs at least one finding that stands: a return must state its reasons")
    if conclusion is Conclusion.APPROVED:
        blocking = sum(is_blocking(f.status, f.mandatory, f.advisory, waived=False) for f in letter.findings)
        if blocking:
            raise LetterError(
                f"an approval cannot carry {blocking} open finding(s) of mandatory provisions; "
                "waive them with a reason or return the submission"
            )
    return conclusion


# -- the view both renderers draw ---------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    tag: str = ""  # e.g. "参考" on an advisory deadline


@dataclass(frozen=True)
class ReplyView:
    who: str
    text: str


@dataclass(frozen=True)
class Row:
    number: int
    storey: str
    element: str
    guid: str
    message: str
    missing_data: bool
    replies: tuple[ReplyView, ...]


@dataclass(frozen=True)
class Item:
    """One rule's findings within a discipline: the numbered opinion."""

    number: str
    citation: str
    rule_id: str
    title: str
    mandatory: bool
    advisory: bool
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Section:
    name: str
    mandatory: tuple[Item, ...]
    general: tuple[Item, ...]


@dataclass(frozen=True)
class SummaryRow:
    name: str
    mandatory_items: int
    mandatory_places: int
    general_items: int
    general_places: int


@dataclass(frozen=True)
class WaiverView:
    item: str
    reason: str
    by: str
    mandatory: bool


@dataclass(frozen=True)
class SignatureRow:
    discipline: str
    reviewers: tuple[str, ...]
    checkers: tuple[str, ...]


@dataclass(frozen=True)
class LetterView:
    kind: str  # "opinion" or "approval"
    lang: str
    t: Mapping[str, str] = field(hash=False)
    title: str
    pretitle: str
    subtitle: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    facts: tuple[Fact, ...]
    opinion: str
    summary: tuple[SummaryRow, ...]
    sections: tuple[Section, ...]
    waivers: tuple[WaiverView, ...]
    signatures: tuple[SignatureRow, ...]
    legal_representative: str
    agency: str
    date: str
    seals: tuple[str, ...]
    notes: tuple[str, ...]


def messages(lang: str) -> dict[str, str]:
    column = 1 if lang == "en" else 0
    return {key: pair[column] for key, pair in MESSAGES.items()}


def letter_view(letter: LetterInput, lang: str = "zh") -> LetterView:
    """Validate the letter and lay out what it says; both HTML and PDF draw this."""
    conclusion = validate(letter)
    en = lang == "en"
    t = messages(lang)
    kind = "opinion" if conclusion is Conclusion.RETURNED else "approval"
    when = _date_text(letter.submitted_on, en)
    round_text = t["round_first"] if letter.round_number == 1 else t["round_again"].format(n=letter.round_number)
    project = letter.project_name + (f"（{'、'.join(letter.buildings)}）" if letter.buildings and not en else "")
    if kind == "opinion":
        paragraphs = (t["opening"].format(project=project, submitted=when, round=round_text), t["instruction"])
        seals = (t["seal_agency"],)
    else:
        paragraphs = (t["conclusion_approval"],)
        seals = (t["seal_review"], t["seal_agency"])
    # On an approval these are the non-blocking issues that remain, printed as an annex.
    sections = _sections(letter.findings, t, en)
    notes = [t["note_machine"]] if letter.findings else []
    if kind == "approval":
        notes += [t["note_legal"], t["note_changes"]]
    notes.append(t["note_numbering"])
    if kind == "opinion" and letter.review_deadline is not None and letter.review_deadline.advisory:
        notes.append(t["note_deadline"])
    if any(f.advisory for f in letter.findings):
        notes.append(t["note_advisory"])
    notes.append(t["seal_note"])
    return LetterView(
        kind=kind,
        lang="en" if en else "zh-Hans",
        t=t,
        title=t[f"title_{kind}"],
        pretitle=t["pretitle_approval"] if kind == "approval" else "",
        subtitle=t["subtitle"],
        number=letter.letter_number.strip(),
        addressee=letter.construction_unit.name,
        paragraphs=paragraphs,
        facts=_facts(letter, kind, round_text, t, en),
        opinion=letter.opinion.strip(),
        summary=_summary(sections),
        sections=sections,
        waivers=tuple(_waiver_view(w, t, en) for w in letter.waivers),
        signatures=_signatures(letter, t, en),
        legal_representative=letter.legal_representative.strip(),
        agency=letter.review_agency.name,
        date=_date_text(letter.issued_on, en),
        seals=seals,
        notes=tuple(notes),
    )


def _facts(letter: LetterInput, kind: str, round_text: str, t: Mapping[str, str], en: bool) -> tuple[Fact, ...]:
    none = t["none"]

    def orgs(units: Iterable[Organisation]) -> str:
        return "；".join(u.name + (f"（{u.code}）" if u.code else "") for u in units if u.name.strip()) or none

    rows = [
        Fact(t["project_name"], letter.project_name),
        Fact(t["project_number"], letter.project_number),
    ]
    if kind == "approval":
        # The certificate form has these lines whether or not they are filled (§3.2).
        rows += [
            Fact(t[key], getattr(letter, key).strip() or none)
            for key in ("project_address", "project_category", "project_grade", "project_scale")
        ]
    if letter.buildings:
        rows.append(Fact(t["buildings"], "、".join(letter.buildings)))
    rows += [
        Fact(t["construction_unit"], orgs([letter.construction_unit])),
        Fact(t["survey_unit"], orgs(letter.survey_units)),
        Fact(t["design_unit"], orgs(letter.design_units)),
        Fact(t["review_agency"], orgs([letter.review_agency])),
    ]
    if letter.submission_number.strip():
        rows.append(Fact(t["submission_number"], letter.submission_number.strip()))
    if kind == "approval":
        # The certificate states the result, not the course of the review (§3.2).
        rows.append(Fact(t["approved_on"], _date_text(letter.issued_on, en)))
        if letter.model_file.strip():
            rows.append(Fact(t["model"], _model_text(letter)))
        return tuple(rows)
    rows += [Fact(t["round"], round_text), Fact(t["submitted_on"], _date_text(letter.submitted_on, en))]
    deadline = letter.review_deadline
    if deadline is not None:
        value = t["review_due_value"].format(
            due=_date_text(deadline.due, en), days=deadline.working_days, label=deadline.label_en if en else deadline.label_zh
        )
        rows.append(Fact(t["review_due"], value, t["advisory_tag"] if deadline.advisory else ""))
    rows.append(Fact(t["issued_on"], _date_text(letter.issued_on, en)))
    if letter.model_file.strip():
        rows.append(Fact(t["model"], _model_text(letter)))
    return tuple(rows)


def _model_text(letter: LetterInput) -> str:
    sha = f"（SHA-256 {letter.model_sha256}）" if letter.model_sha256 else ""
    return letter.model_file.strip() + sha


def _discipline_order(key: str) -> tuple[int, str]:
    keys = list(DISCIPLINES)
    return (keys.index(key), "") if key in DISCIPLINES else (len(keys), key)


def discipline_name(key: str, en: bool = False) -> str:
    names = DISCIPLINES.get(key)
    return (names[1] if en else names[0]) if names else key


def _sections(findings: Iterable[LetterFinding], t: Mapping[str, str], en: bool) -> tuple[Section, ...]:
    by_discipline: dict[str, dict[str, list[LetterFinding]]] = {}
    for finding in findings:
        by_discipline.setdefault(finding.discipline or "", {}).setdefault(finding.rule_id, []).append(finding)
    sections = []
    for key in sorted(by_discipline, key=_discipline_order):
        rules = by_discipline[key]
        # Mandatory provisions first (强条 apart from general issues, §3.1), then by rule id.
        ordered = sorted(rules.values(), key=lambda fs: (not fs[0].mandatory, fs[0].rule_id))
        items = [_item(str(n), group, t) for n, group in enumerate(ordered, start=1)]
        sections.append(
            Section(
                name=discipline_name(key, en),
                mandatory=tuple(i for i in items if i.mandatory),
                general=tuple(i for i in items if not i.mandatory),
            )
        )
    return tuple(sections)


def _item(number: str, group: list[LetterFinding], t: Mapping[str, str]) -> Item:
    first = group[0]
    citation = (
        t["citation"].format(standard=first.standard, clause=first.clause) if first.clause else first.standard
    )
    rows = tuple(
        Row(
            number=n,
            storey=f.storey or t["no_storey"],
            element=f.element_name,
            guid=f.guid,
            message=f.message,
            missing_data=f.status == "missing_data",
            replies=tuple(_reply_view(r) for r in f.replies),
        )
        for n, f in enumerate(group, start=1)
    )
    return Item(number, citation, first.rule_id, first.rule_title, first.mandatory, first.advisory, rows)


def _reply_view(reply: DesignerReply) -> ReplyView:
    who = " ".join(x for x in (reply.author.strip(), reply.date.isoformat() if reply.date else "") if x)
    return ReplyView(who, reply.text.strip())


def _summary(sections: Iterable[Section]) -> tuple[SummaryRow, ...]:
    return tuple(
        SummaryRow(
            s.name,
            len(s.mandatory),
            sum(len(i.rows) for i in s.mandatory),
            len(s.general),
            sum(len(i.rows) for i in s.general),
        )
        for s in sections
    )


def _waiver_view(waiver: Waiver, t: Mapping[str, str], en: bool) -> WaiverView:
    citation = (
        t["citation"].format(standard=waiver.standard, clause=waiver.clause) if waiver.clause else waiver.standard
    )
    where = " ".join(x for x in (waiver.element_name, waiver.guid) if x)
    item = " · ".join(x for x in (waiver.rule_id, citation, where) if x)
    by = " ".join(x for x in (waiver.waived_by, _date_text(waiver.date, en) if waiver.date else "") if x)
    return WaiverView(item, waiver.reason.strip(), by or t["none"], waiver.mandatory)


def _signatures(letter: LetterInput, t: Mapping[str, str], en: bool) -> tuple[SignatureRow, ...]:
    # A grouping of the rule catalogue (无障碍, 模型信息) is signed for by its discipline (建筑).
    keys = {_disciplines.signing_discipline(f.discipline) or f.discipline or "" for f in letter.findings}
    keys |= {r.discipline or "" for r in letter.reviewers}
    rows = []
    for key in sorted(keys, key=_discipline_order):
        people = [r for r in letter.reviewers if (r.discipline or "") == key]
        rows.append(
            SignatureRow(
                discipline_name(key, en),
                tuple(r.name for r in people if r.role == ReviewerRole.REVIEWER),
                tuple(r.name for r in people if r.role == ReviewerRole.CHECKER),
            )
        )
    return tuple(rows)


def _date_text(day: dt.date, en: bool) -> str:
    return day.isoformat() if en else f"{day.year}年{day.month}月{day.day}日"


# -- rendering ----------------------------------------------------------------------------
def render_letter_html(letter: LetterInput, lang: str = "zh") -> str:
    """The letter as one self-contained HTML document (inline CSS, no external assets)."""
    view = letter_view(letter, lang)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # names and messages come from models and users: escape all of them
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    t = view.t
    before, _, rest = t["page"].partition("{page}")
    middle, _, after = rest.partition("{pages}")
    page_css = f'{_css_string(before)} counter(page) {_css_string(middle)} counter(pages) {_css_string(after)}'
    return env.get_template(f"{view.kind}.html.j2").render(
        v=view,
        t=t,
        # CSS strings for the print margin boxes: the number on every page, "page x of y".
        number_css=Markup(_css_string(f"{t['number']}：{view.number}")),
        page_css=Markup(page_css),
    )


def _css_string(text: str) -> str:
    """A CSS string literal; hex escapes keep quotes, backslashes and "<" from breaking out."""
    escaped = "".join(f"\\{ord(c):X} " if c in '"\\<>&\n\r' else c for c in text)
    return f'"{escaped}"'


def render_letter_pdf(letter: LetterInput, lang: str = "zh") -> bytes:
    """The letter as an A4 PDF: the number in every page header, "page x of y" in the footer."""
    from zhijian.domain.review.letter_pdf import build_pdf  # reportlab is only loaded for PDFs

    return build_pdf(letter_view(letter, lang))


def letter_file_stem(letter: LetterInput) -> str:
    kind = "opinion" if letter.conclusion == Conclusion.RETURNED else "approval"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in letter.letter_number.strip())
    return f"{kind}-{safe}"


def write_letter(letter: LetterInput, out_dir: Path, lang: str = "zh") -> tuple[Path, Path]:
    """Write ``<kind>-<number>.html`` and ``.pdf`` into ``out_dir``; returns both paths."""
    html = render_letter_html(letter, lang)
    pdf = render_letter_pdf(letter, lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = letter_file_stem(letter)
    html_path, pdf_path = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(pdf)
    return html_path, pdf_path

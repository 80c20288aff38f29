"""Review letters: a worked example rendered as the opinion letter (returned) and the approval
certificate, in HTML and PDF; every required field present; bad letters refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.unit.test_reports_common import sample_report
from zhijian.domain.errors import InputError, LetterError, LetterNumberingError
from zhijian.domain.review.deadlines import review_deadline
from zhijian.domain.review.letter_numbering import (
    NUMBERING_FILE,
    format_letter_number,
    load_numbering,
)
from zhijian.domain.review.letters import (
    Conclusion,
    DesignerReply,
    LetterFinding,
    LetterInput,
    Organisation,
    Reviewer,
    Waiver,
    findings_from_report,
    letter_view,
    mandatory_apart,
    render_letter_html,
    render_letter_pdf,
    write_letter,
)

PROJECT_NUMBER = "4301042026050017"
SUBMITTED = dt.date(2026, 4, 28)

# The worked example: a residential building in Changsha, round 2, three disciplines.
FINDINGS = (
    LetterFinding(
        rule_id="GB55038-2025-4.2.1", standard="GB 55038-2025", clause="4.2.1", rule_title="卧室使用面积",
        message="卧室使用面积 8.25 m²，不满足 ≥ 9 m² 的要求", discipline="architecture", mandatory=True,
        guid="2O2Fr$t4X7Zf8NOew3FL01", element_name="卧室 101", storey="1F",
        replies=(DesignerReply("已调整隔墙位置，面积 9.3 m²。", "李工", dt.date(2026, 4, 27)),),
    ),
    LetterFinding(
        rule_id="GB55038-2025-4.2.1", standard="GB 55038-2025", clause="4.2.1", rule_title="卧室使用面积",
        message="卧室使用面积 8.60 m²，不满足 ≥ 9 m² 的要求", discipline="architecture", mandatory=True,
        guid="2O2Fr$t4X7Zf8NOew3FL02", element_name="卧室 201", storey="2F",
    ),
    LetterFinding(
        rule_id="GB50096-2011-6.1.3", standard="GB 50096-2011", clause="6.1.3", rule_title="栏杆高度",
        message="阳台栏杆高度 1.00 m，低于 1.05 m", discipline="architecture", mandatory=False,
        guid="2O2Fr$t4X7Zf8NOew3FL03", element_name="阳台栏杆 B1", storey="2F",
    ),
    LetterFinding(
        rule_id="GB50016-2014-5.5.18-door", standard="GB 50016-2014", clause="5.5.18", rule_title="疏散门净宽",
        message="疏散门净宽 0.80 m，小于 0.90 m", discipline="fire", mandatory=True, advisory=True,
        guid="2O2Fr$t4X7Zf8NOew3FL04", element_name="M1021", storey="1F",
    ),
    LetterFinding(
        rule_id="GB50010-2010-8.2.1", standard="GB 50010-2010", clause="8.2.1", rule_title="混凝土保护层",
        message="模型缺少保护层厚度属性", discipline="structure", mandatory=False, status="missing_data",
        guid="2O2Fr$t4X7Zf8NOew3FL05", element_name="KL-3", storey="2F",
    ),
)
WAIVER = Waiver(
    rule_id="GB55019-2021-2.5-door-width", standard="GB 55019-2021", clause="2.5", guid="2O2Fr$t4X7Zf8NOew3FL06",
    element_name="设备间门", reason="设备间非无障碍通行空间，经复核不适用。", waived_by="周审", date=dt.date(2026, 5, 6),
)


def example(conclusion: str = Conclusion.RETURNED, **changes) -> LetterInput:
    kind = "opinion" if conclusion == Conclusion.RETURNED else "approval"
    letter = LetterInput(
        letter_number=format_letter_number(kind, project_number=PROJECT_NUMBER, serial=17, year=2026, round_number=2),
        conclusion=conclusion,
        project_name="长沙市岳麓区梅溪湖安置房二期",
        project_number=PROJECT_NUMBER,
        buildings=("3#楼", "4#楼"),
        construction_unit=Organisation("长沙梅溪湖建设投资有限公司", "91430100MA4L000001"),
        survey_units=(Organisation("湖南省勘测设计院有限公司"),),
        design_units=(Organisation("湖南智建建筑设计研究院有限公司", "91430100MA4L000002"),),
        review_agency=Organisation("湖南湘审施工图审查有限公司", "91430100MA4L000003"),
        reviewers=(
            Reviewer("周审", "architecture"),
            Reviewer("吴复", "architecture", "checker"),
            Reviewer("郑审", "structure"),
            Reviewer("王审", "fire"),
            Reviewer("冯审", "plumbing"),
        ),
        round_number=2,
        submitted_on=SUBMITTED,
        issued_on=dt.date(2026, 5, 8),
        findings=FINDINGS,
        waivers=(WAIVER,),
        submission_number="SS-2026-0417",
        project_address="长沙市岳麓区梅溪湖路 88 号",
        project_category="房屋建筑工程（住宅）",
        project_grade="二级",
        project_scale="总建筑面积 42,600 m²",
        legal_representative="陈法",
        model_file="梅溪湖二期-3#楼-v2.ifc",
        model_sha256="ab" * 32,
        review_deadline=review_deadline(SUBMITTED, "medium_or_small"),
    )
    return dataclasses.replace(letter, **changes)


def approval(**changes) -> LetterInput:
    remaining = tuple(f for f in FINDINGS if not f.mandatory or f.advisory)  # what does not block
    return example(Conclusion.APPROVED, **{"findings": remaining, **changes})


class _Text(HTMLParser):
    """Visible text of an HTML document (no <style>), and the elements' classes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip = tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# -- the opinion letter (returned) ---------------------------------------------------------
def test_the_opinion_letter_states_every_required_field() -> None:
    letter = example()
    text = visible(render_letter_html(letter))
    assert letter.letter_number == "4301042026050017-YJ02-017"
    required = [
        "施工图设计文件审查意见告知书",
        "编号：4301042026050017-YJ02-017",
        "致：长沙梅溪湖建设投资有限公司",
        "长沙市岳麓区梅溪湖安置房二期",
        PROJECT_NUMBER,
        "3#楼、4#楼",
        "91430100MA4L000001",
        "湖南省勘测设计院有限公司",
        "湖南智建建筑设计研究院有限公司",
        "湖南湘审施工图审查有限公司",
        "SS-2026-0417",
        "第 2 次审查（复审）",
        "2026年4月28日",  # submitted
        "2026年5月8日",  # issued
        "2026年5月14日",  # due: Apr 29, 30, May 6, 7, 8, Sat 9 (调休), 11, 12, 13, 14
        "审查不合格",
        "送原审查机构复审",
        "违反强制性条文的问题必须修改",
        "梅溪湖二期-3#楼-v2.ifc",
    ]
    for field in required:
        assert field in text, field


def test_findings_are_grouped_by_discipline_with_mandatory_provisions_first() -> None:
    html = render_letter_html(example())
    text = visible(html)
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings == ["建筑", "结构", "消防"]  # §3.1 order, only disciplines with findings
    architecture = text[text.index("建筑 违反强制性条文的问题") : text.index("结构 一般性问题")]
    assert architecture.index("GB 55038-2025 第 4.2.1 条") < architecture.index("一般性问题")
    assert architecture.index("一般性问题") < architecture.index("GB 50096-2011 第 6.1.3 条")
    # One numbered item per rule, one row per element with storey, name and GlobalId.
    assert "1.1 1F 卧室 101 2O2Fr$t4X7Zf8NOew3FL01" in text
    assert "1.2 2F 卧室 201 2O2Fr$t4X7Zf8NOew3FL02" in text
    assert "2.1 2F 阳台栏杆 B1" in text
    view = letter_view(example())
    assert [(s.name, len(s.mandatory), len(s.general)) for s in view.sections] == [
        ("建筑", 1, 1),
        ("结构", 0, 1),
        ("消防", 1, 0),
    ]
    assert [(r.name, r.mandatory_items, r.mandatory_places, r.general_items, r.general_places) for r in view.summary] == [
        ("建筑", 1, 2, 1, 1),
        ("结构", 0, 0, 1, 1),
        ("消防", 1, 1, 0, 0),
    ]


def test_mandatory_findings_are_marked_and_general_ones_are_not() -> None:
    html = render_letter_html(example())
    items = dict(re.findall(r'<div class="item( mandatory)?" data-rule="([^"]+)"', html)[i][::-1] for i in range(4))
    assert items == {
        "GB55038-2025-4.2.1": " mandatory",
        "GB50096-2011-6.1.3": "",
        "GB50010-2010-8.2.1": "",
        "GB50016-2014-5.5.18-door": " mandatory",
    }
    assert html.count("★ 强制性条文") == 2 + 0  # the two mandatory items; the waiver is not mandatory
    assert "参考（依据二手资料）" in html  # the fire rule rests on second-hand facts
    _, text = pdf_text(render_letter_pdf(example()))
    assert text.count("【★强制性条文】") == 2


def test_designer_replies_fill_the_reply_column_and_the_rest_await_a_reply() -> None:
    text = visible(render_letter_html(example()))
    assert "李工 2026-04-27： 已调整隔墙位置，面积 9.3 m²。" in text
    assert text.count("（待回复）") == len(FINDINGS) - 1
    assert "模型数据缺失，无法判定" in text  # the structure finding lacks data


def test_waivers_are_listed_with_their_reasons() -> None:
    text = visible(render_letter_html(example()))
    assert "经审查同意不作修改的问题" in text
    assert "设备间非无障碍通行空间，经复核不适用。" in text and "周审 2026年5月6日" in text


def test_signatures_and_seals_are_empty_placeholders() -> None:
    html = render_letter_html(example())
    text = visible(html)
    assert "审查人员签字" in text and "复核人员签字" in text
    for name in ("周审", "吴复", "郑审", "王审", "冯审"):
        assert f"{name}（签字）" in text
    assert html.count('data-placeholder="seal"') == 1 and "审查机构（盖章）" in text
    assert "<img" not in html and "<svg" not in html  # nothing that could pass for a seal
    assert "本系统不生成签名或印章" in text


def test_unverified_facts_are_labelled_on_the_letter() -> None:
    text = visible(render_letter_html(example()))
    assert "文书编号格式为可配置项" in text
    assert "审查时限为参考值" in text and "参考" in text
    assert "依据二手资料" in text


def test_the_opinion_pdf_is_a4_with_the_number_on_every_page_and_page_numbers() -> None:
    letter = example()
    data = render_letter_pdf(letter)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    for n, page in enumerate(reader.pages, start=1):
        assert [round(float(x)) for x in page.mediabox[2:]] == [595, 842]  # A4 in points
        text = page.extract_text()
        assert f"编号：{letter.letter_number}" in text
        assert f"第 {n} 页 共 {len(reader.pages)} 页" in text
    _, text = pdf_text(data)
    for field in ("施工图设计文件审查意见告知书", "长沙梅溪湖建设投资有限公司", "2O2Fr$t4X7Zf8NOew3FL02", "审查机构（盖章）"):
        assert field in text, field


def test_the_same_letter_gives_the_same_pdf_bytes() -> None:
    assert render_letter_pdf(example()) == render_letter_pdf(example())


# -- the approval certificate ---------------------------------------------------------------
def test_the_approval_certificate_states_the_section_3_2_fields() -> None:
    letter = approval()
    text = visible(render_letter_html(letter))
    assert letter.letter_number == "4301042026050017-SC-017"
    for field in [
        "房屋建筑和市政基础设施工程施工图设计文件审查",
        "施工图设计文件审查合格书",
        "编号：4301042026050017-SC-017",
        "本工程施工图设计文件（含 BIM 模型）审查合格",
        "长沙市岳麓区梅溪湖安置房二期",
        "长沙市岳麓区梅溪湖路 88 号",
        "房屋建筑工程（住宅）",
        "二级",
        "总建筑面积 42,600 m²",
        "长沙梅溪湖建设投资有限公司",
        "湖南省勘测设计院有限公司",
        "湖南智建建筑设计研究院有限公司",
        "湖南湘审施工图审查有限公司",
        "审查人员签字",
        "复核人员签字",
        "法定代表人（签发）：陈法（签字）",
        "审查合格专用章",
        "审查机构（盖章）",
        "审查合格日期 2026年5月8日",
        "不得涂改、伪造",
    ]:
        assert field in text, field
    assert "审查意见告知书" not in text


def test_the_approval_lists_remaining_general_issues_as_an_annex() -> None:
    text = visible(render_letter_html(approval()))
    assert "附：遗留问题（不影响审查合格）" in text
    assert "阳台栏杆 B1" in text and "KL-3" in text
    # The advisory mandatory rule does not block (workflow.is_blocking) and is listed, marked.
    assert "M1021" in text


def test_an_approval_without_findings_is_a_valid_certificate() -> None:
    letter = approval(findings=(), waivers=(), review_deadline=None)
    html = render_letter_html(letter)
    text = visible(html)
    assert "审查合格" in text and "附：遗留问题" not in text and "经审查同意不作修改" not in text
    assert html.count('data-placeholder="seal"') == 2
    pages, pdf = pdf_text(render_letter_pdf(letter))
    assert pages >= 1 and "4301042026050017-SC-017" in pdf and "审查合格专用章" in pdf


def test_the_approval_pdf_has_the_number_and_the_seal_placeholders() -> None:
    pages, text = pdf_text(render_letter_pdf(approval()))
    assert pages >= 1
    for field in ("4301042026050017-SC-017", "施工图设计文件审查合格书", "审查合格专用章", "盖章处", f"共 {pages} 页"):
        assert field in text, field


# -- the English variant, the report adapter, files ------------------------------------------
def test_the_english_variant_uses_the_message_table() -> None:
    html = render_letter_html(example(), lang="en")
    text = visible(html)
    assert '<html lang="en">' in html
    assert "Construction drawing review: notice of review opinions" in text
    assert "Violations of mandatory provisions" in text and "Architecture" in text and "2026-05-14" in text
    _, pdf = pdf_text(render_letter_pdf(approval(), lang="en"))
    assert "certificate of approval" in pdf and "Page 1 of" in pdf


def test_report_findings_become_letter_findings_with_their_discipline_and_replies() -> None:
    report = sample_report()
    first = report["findings"][0]
    key = (first["rule_id"], first["guid"])
    findings = findings_from_report(report, replies={key: [DesignerReply("已改。", "李工")]}, exclude=[("x", "y")])
    assert len(findings) == len(report["findings"])
    assert findings[0].discipline == "architecture" and findings[0].rule_title == "卧室使用面积"
    assert findings[0].replies[0].text == "已改。"
    assert {f.status for f in findings} == {"fail", "missing_data"}
    text = visible(render_letter_html(example(findings=findings)))
    assert "&lt;script&gt;" not in text and "<script>alert('x')</script>" in text  # escaped in the HTML
    assert "<script>alert" not in render_letter_html(example(findings=findings))
    assert len(findings_from_report(report, exclude=[key])) == len(report["findings"]) - 1


def test_write_letter_writes_html_and_pdf_named_by_number(tmp_path: Path) -> None:
    html, pdf = write_letter(example(), tmp_path / "out")
    assert html.name == "opinion-4301042026050017-YJ02-017.html" and pdf.suffix == ".pdf"
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and pdf.read_bytes().startswith(b"%PDF")


def test_a_long_letter_splits_over_pages_with_every_finding(tmp_path: Path) -> None:
    many = tuple(
        dataclasses.replace(FINDINGS[2], guid=f"2O2Fr$t4X7Zf8NOew3F{n:03d}", element_name=f"栏杆 {n}") for n in range(300)
    )
    pages, text = pdf_text(render_letter_pdf(example(findings=many)))
    assert pages > 5
    assert "2O2Fr$t4X7Zf8NOew3F299" in text and f"共 {pages} 页" in text


# -- numbering ----------------------------------------------------------------------------
def test_numbering_templates_are_data_marked_unverified() -> None:
    data = json.loads(NUMBERING_FILE.read_text(encoding="utf-8"))
    assert data["verification"] == "U"
    assert {k: v["verification"] for k, v in data["templates"].items()} == {"opinion": "U", "approval": "U"}
    assert load_numbering(NUMBERING_FILE).advisory


@pytest.mark.parametrize(
    ("template", "kwargs", "reason"),
    [
        ("{project_number}-{colour}", {}, "unknown field \\{colour\\}"),
        ("{project_number}-{serial", {}, "is malformed"),
        ("{agency_code}审意〔{year}〕{serial}号", {}, "needs agency_code"),
        ("{project_number:03d}", {}, "cannot be filled"),
        ("{project_number}-{serial:03d}", {"serial": 0}, "serial must be a whole number ≥ 1"),
    ],
)
def test_a_numbering_template_that_cannot_be_filled_is_refused(
    tmp_path: Path, template: str, kwargs: dict, reason: str
) -> None:
    path = tmp_path / "numbering.json"
    templates = {"opinion": {"template": template}, "approval": {"template": "{project_number}"}}
    path.write_text(json.dumps({"templates": templates}), encoding="utf-8")
    with pytest.raises(LetterNumberingError, match=reason):
        numbering = load_numbering(path)
        format_letter_number("opinion", project_number="P", year=2026, numbering=numbering, **{"serial": 1, **kwargs})


def test_an_agency_format_with_its_own_code_is_filled() -> None:
    numbering = load_numbering(NUMBERING_FILE)
    custom = dataclasses.replace(
        numbering,
        templates={
            **numbering.templates,
            "opinion": dataclasses.replace(numbering.templates["opinion"], template="{agency_code}审意〔{year}〕{serial}号"),
        },
    )
    number = format_letter_number("opinion", project_number="P", serial=7, year=2026, agency_code="湘审", numbering=custom)
    assert number == "湘审审意〔2026〕7号"
    with pytest.raises(LetterNumberingError, match="no numbering template for 'memo'"):
        format_letter_number("memo", project_number="P", serial=1, year=2026)


# -- letters that cannot be issued -----------------------------------------------------------
@pytest.mark.parametrize(
    ("letter", "reason"),
    [
        (lambda: example(findings=()), "a returned letter needs at least one finding that stands"),
        (lambda: example(findings=(), waivers=()), "a return must state its reasons"),
        (lambda: example(Conclusion.APPROVED), "an approval cannot carry 2 open finding\\(s\\) of mandatory provisions"),
        (lambda: example(conclusion="maybe"), "conclusion must be 'returned' or 'approved'"),
        (lambda: example(letter_number=" "), "needs a letter number"),
        (lambda: example(project_name=""), "needs a project name"),
        (lambda: example(project_number=""), "needs a project number"),
        (lambda: example(construction_unit=Organisation("")), "needs a construction unit"),
        (lambda: example(review_agency=Organisation("")), "needs a review agency"),
        (lambda: example(design_units=()), "at least one design unit"),
        (lambda: example(reviewers=()), "at least one reviewer"),
        (lambda: example(reviewers=(Reviewer("周审", "architecture", "boss"),)), "role must be 'reviewer' or 'checker'"),
        (lambda: example(reviewers=(Reviewer(" ", "architecture"),)), "a reviewer has no name"),
        (lambda: example(round_number=0), "round number must be 1 or more"),
        (lambda: example(issued_on=dt.date(2026, 4, 1)), "before the submission"),
        (lambda: example(findings=(dataclasses.replace(FINDINGS[0], message=" "),)), "finding 1 needs a rule id and a message"),
        (lambda: example(findings=(dataclasses.replace(FINDINGS[0], status="pass"),)), "status must be 'fail' or 'missing_data'"),
        (lambda: example(waivers=(dataclasses.replace(WAIVER, reason=""),)), "has no reason"),
    ],
)
def test_a_letter_that_cannot_be_issued_is_refused_with_one_reason(letter, reason: str) -> None:
    built = letter()
    for render in (render_letter_html, render_letter_pdf):
        with pytest.raises(LetterError, match=reason) as caught:
            render(built)
        assert isinstance(caught.value, InputError) and "\n" not in str(caught.value)


def test_a_waived_mandatory_finding_no_longer_blocks_the_approval() -> None:
    # The caller leaves waived findings out of `findings` and lists them as waivers.
    waived = tuple(
        Waiver(f.rule_id, "经专家论证满足等效要求。", f.standard, f.clause, f.guid, f.element_name, mandatory=True)
        for f in FINDINGS
        if f.mandatory and not f.advisory
    )
    letter = approval(waivers=waived)
    text = visible(render_letter_html(letter))
    assert text.count("经专家论证满足等效要求。") == 2 and "★ 强制性条文" in text


def test_the_plain_letter_lists_mandatory_violations_apart_keeping_the_order() -> None:
    first = LetterFinding("r1", "GB 1", "1.1", "m1", "", mandatory=True)
    advisory = LetterFinding("r2", "GB 1", "1.2", "a", "", mandatory=True, advisory=True)
    general = LetterFinding("r3", "GB 1", "1.3", "g", "", mandatory=False)
    second = LetterFinding("r4", "GB 1", "1.4", "m2", "", mandatory=True)
    flagged_only = LetterFinding("r5", "GB 1", "1.5", "g2", "", mandatory=False, advisory=True)
    mandatory, rest = mandatory_apart([first, advisory, general, second, flagged_only])
    assert mandatory == [first, second]
    assert rest == [advisory, general, flagged_only]
    assert mandatory_apart([]) == ([], [])

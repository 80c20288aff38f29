"""The HTML report: self-contained, bilingual, escaped, bounded lists with full counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.unit.test_reports_common import empty_report, sample_report
from zhijian.domain.reports.html_report import GROUP_LIMIT, MESSAGES, render_html, write_html


class _Outline(HTMLParser):
    """Collects headings, table rows and external references of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.rows = 0
        self.external: list[str] = []
        self.scripts = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = []
        if tag == "tr":
            self.rows += 1
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if values.get(key):
                self.external.append(values[key] or "")
        if tag == "link":
            self.external.append(values.get("href") or "link")

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_report_html_is_written_in_chinese_by_default(tmp_path: Path) -> None:
    path = write_html(sample_report(), tmp_path)
    html = path.read_text(encoding="utf-8")
    assert path.name == "report.html"
    assert '<html lang="zh-Hans">' in html
    headings = outline(html).headings
    assert "BIM 模型审查报告" in headings and "规则检查结果" in headings and "审查概况" in headings
    assert "示例住宅.ifc" in html and "ab" * 32 in html and "MILLIMETRE" in html


def test_english_report_has_english_headings_and_messages() -> None:
    html = render_html(sample_report(), "en")
    headings = outline(html).headings
    assert '<html lang="en">' in html
    assert {"BIM model review report", "Summary", "Results by rule", "Findings (68)"} <= set(headings)
    assert "No storey (1)" in headings
    assert "does not meet the requirement" in html
    assert "不满足" not in html  # Chinese messages are not shown in the English report
    assert "Residential project code" in html


def test_every_ui_string_exists_in_both_languages() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert zh and en, key
        assert re.findall(r"{\w+}", zh) == re.findall(r"{\w+}", en), key


def test_html_is_self_contained() -> None:
    html = render_html(sample_report())
    parsed = outline(html)
    assert parsed.external == [] and parsed.scripts == 0
    assert not re.search(r"url\(|@import|<link|<img|<iframe", html)
    assert "<style>" in html


def test_model_text_is_escaped() -> None:
    html = render_html(sample_report())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;粗&lt;/b&gt; &amp; 细" in html


def test_summary_and_rule_table_show_the_report_numbers() -> None:
    html = render_html(sample_report())
    for rule_id in ("GB55038-2025-4.2.1", "GB50096-2011-6.1.3", "GB50016-2014-5.5.18"):
        assert rule_id in html
    assert "GB 55038-2025 第 4.2.1 条" in html
    assert "强制性已废止，仍作设计指引" in html  # standard status of the repealed clause
    assert "参考性结果" in html  # advisory badge
    assert re.search(r'<div class="num">65</div><div class="lbl">不符合</div>', html)
    assert re.search(r'<div class="num">4</div><div class="lbl">违反强制性条文</div>', html)
    assert "存在违反强制性条文的问题" in html


def test_status_note_of_a_rule_row_is_preferred_when_present() -> None:
    report = sample_report()
    report["rules"][1]["status_note_zh"] = "强条已被 GB 55038-2025 废止"
    assert "强条已被 GB 55038-2025 废止" in render_html(report)


def test_findings_are_grouped_by_storey_then_rule_and_bounded_with_counts() -> None:
    html = render_html(sample_report())
    headings = outline(html).headings
    storeys = [h for h in headings if h.split(" ")[0] in ("1F", "2F", "未归属楼层")]
    assert [h.split(" ")[0] for h in storeys] == ["1F", "2F", "未归属楼层"]
    assert "还有 10 条未列出" in html  # 60 railing findings on 2F, 50 shown
    railing = [h for h in headings if h.startswith("GB50096-2011-6.1.3 栏杆高度 · GB 50096-2011 第 6.1.3 条")]
    assert [h.rsplit(" ", 2)[-2] for h in railing] == ["3", "60", "1"]  # 1F missing data, 2F, no storey
    section = html.split('id="findings"')[1]
    assert section.count("<tr>") == (3 + 3) + (GROUP_LIMIT + 1) + 1 + 5  # rows, then one header per group
    assert "8.25 m²" in section and "9 m²" in section
    assert "数据缺失" in section


def test_what_could_not_be_checked_is_listed() -> None:
    html = render_html(sample_report())
    assert "GB50096-2011-6.1.3 栏杆高度：3 个构件缺少所需数据" in html
    assert "GB50016-2014-5.5.18 疏散门净宽：模型中没有适用的构件" in html


def test_report_without_storeys_or_findings_says_so() -> None:
    html = render_html(empty_report(), "en")
    assert "The model has no storeys" in html
    assert "No findings." in html
    assert "No mandatory provision fails." in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_very_long_reports_stay_bounded(lang: str) -> None:
    report = sample_report()
    template = report["findings"][4]
    report["findings"] = [
        {**template, "guid": f"1{n:021d}", "rule_id": f"R{n // 10:04d}"} for n in range(5000)
    ]
    html = render_html(report, lang)
    rows = html.split('id="findings"')[1].count("<td class=\"mono\">")
    assert rows == 2000
    assert ("3000" in html) and ("report.json" in html)


def test_rule_descriptions_are_shown_when_present() -> None:
    report = sample_report()
    report["rules"][0]["description"] = "每面墙都应说明是否为外墙"
    assert '<div class="muted small">每面墙都应说明是否为外墙</div>' in render_html(report)

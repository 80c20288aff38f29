"""The PDF of a review letter: A4, reportlab's built-in STSong-Light CID font (no font file),
the letter number in every page header and "第 x 页 共 y 页" in every footer.

Draws the same :class:`~zhijian.domain.review.letters.LetterView` as the HTML templates, so
the two never disagree. Seals are dashed empty circles with a label, never a drawn seal.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

if TYPE_CHECKING:
    from zhijian.domain.review.letters import Item, LetterView

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5f6b78")
LINE = colors.HexColor("#9aa4ae")
SOFT = colors.HexColor("#f3f5f7")
RED = colors.HexColor("#a61b1b")
AMBER = colors.HexColor("#8a5a00")
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 24 * mm, 20 * mm
WIDTH = A4[0] - 2 * MARGIN_X


def _style(name: str, size: float = 10.5, leading: float | None = None, **kw: Any) -> ParagraphStyle:
    # wordWrap CJK breaks anywhere, which Chinese text and 22-character GlobalIds both need.
    kw.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading or size * 1.5, wordWrap="CJK", **kw)


BODY = _style("body")
INDENT = _style("indent", firstLineIndent=21)
SMALL = _style("small", 9)
CELL = _style("cell", 9, 13)
CELL_MUTED = _style("cell_muted", 8.5, 12, textColor=MUTED)
TITLE = _style("title", 20, 28, alignment=TA_CENTER, spaceAfter=2)
PRETITLE = _style("pretitle", 12, 18, alignment=TA_CENTER)
SUBTITLE = _style("subtitle", 10.5, alignment=TA_CENTER, textColor=MUTED)
NUMBER = _style("number", 10.5, alignment=TA_RIGHT, spaceBefore=4, spaceAfter=10)
H2 = _style("h2", 13, 20, spaceBefore=12, spaceAfter=4)
H3 = _style("h3", 12, 18, spaceBefore=8, spaceAfter=2)
H4 = _style("h4", 10.5, 16, spaceBefore=6, spaceAfter=2)
H4_RED = _style("h4_red", 10.5, 16, spaceBefore=6, spaceAfter=2, textColor=RED)
NOTE = _style("note", 8.5, 12.5, textColor=MUTED)

GRID = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.5, LINE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
]


# Latin-1 characters that STSong-Light's UniGB-UCS2-H CMap maps to glyphs (read from Adobe's
# CMap as poppler-data ships it); the others, and a few symbols, would print as empty boxes
# (m², ·, Ø …), so they are set in Helvetica, whose WinAnsi encoding has them.
_CJK_LATIN1 = frozenset(
    [0xA4, 0xA5, 0xA7, 0xA8, 0xB0, 0xB1, 0xD7, 0xE0, 0xE1, 0xE8, 0xE9, 0xEA, 0xEC, 0xED, 0xF2, 0xF3, 0xF7, 0xF9, 0xFA, 0xFC]
)
_LATIN_ONLY = re.compile(
    "[" + "".join(chr(c) for c in range(0xA0, 0x100) if c not in _CJK_LATIN1) + "\u2022\u2122\u2219\u22c5]+"
)
_SAME_AS = str.maketrans({"\u2219": "\u00b7", "\u22c5": "\u00b7"})  # dot operators: the middle dot


def _x(text: str) -> str:
    """Paragraph markup for plain text: escaped, line breaks kept, glyph gaps filled."""
    marked = _LATIN_ONLY.sub(lambda m: f'<font name="Helvetica">{m.group(0).translate(_SAME_AS)}</font>', escape(text))
    return marked.replace("\n", "<br/>")


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(_x(text), style)


def _red(text: str) -> str:
    return f'<font color="{RED.hexval()}">{_x(text)}</font>'


class SealSlot(Flowable):
    """An empty dashed circle labelled with the seal that goes there: a placeholder, not a seal."""

    def __init__(self, label: str, hint: str, size: float = 36 * mm) -> None:
        super().__init__()
        self.label, self.hint, self.size = label, hint, size
        self.width = self.height = size

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(LINE)
        c.setDash(3, 3)
        c.circle(self.size / 2, self.size / 2, self.size / 2 - 1)
        c.setFillColor(MUTED)
        c.setFont(FONT, 8.5)
        c.drawCentredString(self.size / 2, self.size / 2 + 2, self.label)
        c.setFont(FONT, 7.5)
        c.drawCentredString(self.size / 2, self.size / 2 - 10, self.hint)
        c.restoreState()


def build_pdf(view: LetterView) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{view.title} {view.number}",
        author=view.agency,
        subject=view.number,
        creator="Zhijian",
        invariant=True,  # the same letter gives the same bytes (no creation time, fixed ids)
    )
    story = _story(view)
    doc.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(view, *a, **k))
    return buffer.getvalue()


def _story(v: LetterView) -> list[Flowable]:
    t = v.t
    story: list[Flowable] = []
    if v.pretitle:
        story.append(_p(v.pretitle, PRETITLE))
    story += [_p(v.title, TITLE), _p(v.subtitle, SUBTITLE), _p(f"{t['number']}：{v.number}", NUMBER)]
    story.append(_p(f"{t['to']}：{v.addressee}"))
    story += [_p(text, INDENT) for text in v.paragraphs]
    story += [_p(t["project_info"], H2), _facts(v)]
    if v.opinion:
        story += [_p(t["general_opinion"], H2), _p(v.opinion, INDENT)]
    if v.kind == "opinion":
        story += [_p(t["summary"], H2), _summary(v), _p(t["opinions"], H2)]
        story += _sections(v, t["reply_blank"])
        story += _waivers(v)
        story.append(KeepTogether([_p(t["signatures"], H2), _signatures(v), Spacer(1, 6), _closing(v)]))
    else:
        who = f"{v.legal_representative}{t['sign_here']}" if v.legal_representative else ""
        # Signatures, the legal representative's line and the seals stay on one page.
        story.append(
            KeepTogether(
                [
                    _p(t["signatures"], H2),
                    _signatures(v),
                    Spacer(1, 4),
                    _p(f"{t['legal_representative']}：{who} ________________"),
                    Spacer(1, 6),
                    _closing(v),
                ]
            )
        )
        story += _waivers(v)
        if v.sections:
            story += [_p(t["remaining"], H2), *_sections(v, t["none"])]
    story += [Spacer(1, 10), _p(t["notes"], H4)]
    story += [_p(f"{n}. {note}", NOTE) for n, note in enumerate(v.notes, start=1)]
    return story


def _facts(v: LetterView) -> Table:
    rows = []
    for fact in v.facts:
        value = _x(fact.value) + (f'  <font color="{AMBER.hexval()}">［{_x(fact.tag)}］</font>' if fact.tag else "")
        rows.append([_p(fact.label, CELL), Paragraph(value, CELL)])
    table = Table(rows, colWidths=[32 * mm, WIDTH - 32 * mm])
    table.setStyle(TableStyle([*GRID, ("BACKGROUND", (0, 0), (0, -1), SOFT)]))
    return table


def _summary(v: LetterView) -> Table:
    t = v.t
    head = [t["discipline"], t["mandatory_items"], t["places"], t["general_items"], t["places"]]
    rows: list[list[Any]] = [[_p(h, CELL) for h in head]]
    for r in v.summary:
        rows.append([_p(r.name, CELL), r.mandatory_items, r.mandatory_places, r.general_items, r.general_places])
    rows.append(
        [
            _p(t["total"], CELL),
            *(sum(getattr(r, a) for r in v.summary) for a in ("mandatory_items", "mandatory_places", "general_items", "general_places")),
        ]
    )
    table = Table(rows, colWidths=[WIDTH - 4 * 30 * mm, *(4 * [30 * mm])], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *GRID,
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), SOFT),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, -1), (-1, -1), SOFT),
            ]
        )
    )
    return table


def _sections(v: LetterView, blank: str) -> list[Flowable]:
    out: list[Flowable] = []
    for section in v.sections:
        # Headings never stand alone at the foot of a page: each break leaves room for the
        # headings above an item and its first rows; long tables then split with their header.
        out += [CondPageBreak(55 * mm), _p(section.name, H3)]
        for heading, style, items in (
            (v.t["mandatory_heading"], H4_RED, section.mandatory),
            (v.t["general_heading"], H4, section.general),
        ):
            if items:
                out += [CondPageBreak(45 * mm), _p(heading, style)]
                for n, item in enumerate(items):
                    out += ([CondPageBreak(35 * mm)] if n else []) + _item(v, item, blank)
    return out


def _item(v: LetterView, item: Item, blank: str) -> list[Flowable]:
    t = v.t
    marks = ""
    if item.mandatory:
        marks += _red(f"【★{t['mandatory']}】") + " "
    if item.advisory:
        marks += f'<font color="{AMBER.hexval()}">【{_x(t["advisory"])}】</font> '
    citation = _red(item.citation) if item.mandatory else _x(item.citation)
    places = t["places_count"].format(n=len(item.rows))
    head = Paragraph(
        f"{item.number}. {marks}{citation} {_x(item.title)} "
        f'<font color="{MUTED.hexval()}">（{_x(t["rule"])} {_x(item.rule_id)}，{_x(places)}）</font>',
        BODY,
    )
    rows: list[list[Any]] = [[_p(h, CELL) for h in (t["no"], t["location"], t["issue"], t["reply"])]]
    for r in item.rows:
        where = "<br/>".join(_x(x) for x in (r.storey, r.element, r.guid) if x)
        issue = _x(r.message) + (f'<br/><font color="{AMBER.hexval()}">{_x(t["missing_data"])}</font>' if r.missing_data else "")
        replies = "<br/>".join(
            (f'<font color="{MUTED.hexval()}">{_x(rep.who)}：</font>' if rep.who else "") + _x(rep.text)
            for rep in r.replies
        ) or f'<font color="#b4bcc4">{_x(blank)}</font>'
        rows.append([_p(f"{item.number}.{r.number}", CELL), Paragraph(where, CELL), Paragraph(issue, CELL), Paragraph(replies, CELL)])
    table = Table(rows, colWidths=[13 * mm, 48 * mm, WIDTH - 13 * mm - 48 * mm - 46 * mm, 46 * mm], repeatRows=1)
    table.setStyle(TableStyle([*GRID, ("BACKGROUND", (0, 0), (-1, 0), SOFT)]))
    return [head, Spacer(1, 2), table]


def _waivers(v: LetterView) -> list[Flowable]:
    if not v.waivers:
        return []
    t = v.t
    rows: list[list[Any]] = [[_p(h, CELL) for h in (t["waiver_item"], t["waiver_reason"], t["waiver_by"])]]
    for w in v.waivers:
        item = (_red(f"【★{t['mandatory']}】") if w.mandatory else "") + _x(w.item)
        rows.append([Paragraph(item, CELL), _p(w.reason, CELL), _p(w.by, CELL)])
    table = Table(rows, colWidths=[WIDTH * 0.42, WIDTH * 0.38, WIDTH * 0.20], repeatRows=1)
    table.setStyle(TableStyle([*GRID, ("BACKGROUND", (0, 0), (-1, 0), SOFT)]))
    return [_p(t["waivers"], H2), table]


def _signatures(v: LetterView) -> Table:
    t = v.t
    line = "________________"

    def people(names: tuple[str, ...]) -> Paragraph:
        text = "<br/><br/>".join(f"{_x(n)}{_x(t['sign_here'])} {line}" for n in names) or line
        return Paragraph(text, CELL)

    rows: list[list[Any]] = [[_p(h, CELL) for h in (t["discipline"], t["reviewer_sign"], t["checker_sign"])]]
    for row in v.signatures:
        rows.append([_p(row.discipline, CELL), people(row.reviewers), people(row.checkers)])
    table = Table(rows, colWidths=[30 * mm, (WIDTH - 30 * mm) / 2, (WIDTH - 30 * mm) / 2], repeatRows=1)
    table.setStyle(
        TableStyle([*GRID, ("BACKGROUND", (0, 0), (-1, 0), SOFT), ("TOPPADDING", (0, 1), (-1, -1), 8), ("BOTTOMPADDING", (0, 1), (-1, -1), 12)])
    )
    return table


def _closing(v: LetterView) -> Flowable:
    t = v.t
    seals = [SealSlot(label, t["seal_placeholder"]) for label in v.seals]
    who = [_p(v.agency, BODY), _p(f"{t['date']}：{v.date}", BODY)]
    cells = [*seals, who]
    widths = [40 * mm] * len(seals) + [WIDTH - 40 * mm * len(seals)]
    table = Table([cells], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (-1, 0), (-1, 0), "RIGHT")]))
    return table


class _NumberedCanvas(Canvas):
    """Defers pages to the end so every footer can say how many pages there are."""

    def __init__(self, view: LetterView, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._view = view
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        v, width, height = self._view, A4[0], A4[1]
        self.saveState()
        self.setFont(FONT, 8.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN_X, height - 14 * mm, v.title)
        self.drawRightString(width - MARGIN_X, height - 14 * mm, f"{v.t['number']}：{v.number}")
        self.setStrokeColor(LINE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, height - 15.5 * mm, width - MARGIN_X, height - 15.5 * mm)
        self.drawCentredString(width / 2, 11 * mm, v.t["page"].format(page=self._pageNumber, pages=total))
        self.restoreState()

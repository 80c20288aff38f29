"""QR codes and printable label sheets for precast components (一物一码).

The QR payload is the component page URL, which carries the compact code in its path
(``https://…/c/10002301F05DHB00004293``): a phone camera opens the page, a scanner app takes
the code out of the URL with :func:`code_from_payload`. Error correction level Q (25 %)
because labels live on concrete in yards and on trucks.

A label sheet is A4 with 3 × 8 labels of 70 × 37.1 mm (full-bleed grid); each label has the
QR code, the code in two lines of monospace text, the component type in Chinese with grade and
weight, the project and the building / storey. Text uses reportlab's built-in STSong-Light CID
font, so no font file is needed; the QR is drawn as vector squares from segno's matrix.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from zhijian.domain.errors import InputError
from zhijian.domain.prefab.coding import ComponentCode, ComponentCodeError, normalise, parse_code

QR_ERROR_LEVEL = "q"
QR_BORDER = 4  # modules of quiet zone, as ISO/IEC 18004 asks
CJK_FONT = "STSong-Light"
CODE_FONT = "Courier-Bold"

# Hyphenated or compact code inside a longer text (a URL): 6-2-3-3-6-2 significant characters.
_CODE_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})-?(\d{2})-?([FBfb]\d{2})-?([A-Za-z]{3})-?(\d{6})-?(\d{2})(?![0-9A-Za-z])"
)


@dataclass(frozen=True)
class Label:
    code: str
    url: str
    type_zh: str  # 叠合板
    project: str  # project name
    building: str  # 1#楼
    storey: str  # 5F / the storey's name
    concrete_grade: str | None = None
    weight_kg: float | None = None


@dataclass(frozen=True)
class SheetLayout:
    columns: int = 3
    rows: int = 8
    page_width: float = A4[0]  # points
    page_height: float = A4[1]
    margin: float = 2.5 * mm  # inside each label

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class SheetInfo:
    path: Path
    pages: int
    labels: int


# -- QR ----------------------------------------------------------------------------------------
def component_url(base_url: str, code: str) -> str:
    """The component page URL: ``base_url`` + "/" + the compact code."""
    if not re.match(r"https?://[^/\s]+", base_url or ""):
        raise InputError(f"base URL must start with http:// or https:// and a host, got {base_url!r}")
    return f"{base_url.rstrip('/')}/{_parse(code).compact}"


def qr_payload(code: str, url: str) -> str:
    """What the QR carries: the URL, which must contain the code (compact or hyphenated)."""
    parsed = _parse(code)
    if not re.match(r"https?://", url or ""):
        raise InputError(f"the component URL must start with http:// or https://, got {url!r}")
    found = code_from_payload(url)
    if found is None or found.compact != parsed.compact:
        raise InputError(f"the URL {url!r} does not carry the code {parsed.compact}; build it with component_url")
    return url


def code_from_payload(text: str) -> ComponentCode | None:
    """The component code in scanned text (a bare code or a URL carrying one), or None."""
    try:
        return parse_code(text)
    except ComponentCodeError:
        pass
    for match in _CODE_IN_TEXT.finditer(text or ""):
        try:
            return parse_code("".join(match.groups()))
        except ComponentCodeError:
            continue
    return None


def qr_code(code: str, url: str) -> segno.QRCode:
    return segno.make(qr_payload(code, url), error=QR_ERROR_LEVEL, micro=False)


def qr_matrix(code: str, url: str) -> tuple[tuple[bool, ...], ...]:
    """Dark (True) and light modules, without the quiet zone."""
    return tuple(tuple(bool(v) for v in row) for row in qr_code(code, url).matrix)


def qr_svg(code: str, url: str, *, scale: int = 4) -> str:
    qr = qr_code(code, url)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=scale, border=QR_BORDER, xmldecl=False, title=_parse(code).printed)
    return buffer.getvalue().decode("utf-8")


def qr_png(code: str, url: str, *, scale: int = 8) -> bytes:
    qr = qr_code(code, url)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


# -- label sheet ------------------------------------------------------------------------------------
def label_sheet_pdf(labels: Sequence[Label], path: Path | str, layout: SheetLayout = SheetLayout()) -> SheetInfo:
    """Write an A4 PDF of labels, ``layout.per_page`` per page, in the order given."""
    if not labels:
        raise InputError("no labels to print")
    if layout.columns < 1 or layout.rows < 1:
        raise InputError(f"a sheet needs at least one column and one row, got {layout.columns} × {layout.rows}")
    prepared = [(label, _parse(label.code), qr_code(label.code, label.url)) for label in labels]
    _register_fonts()
    path = Path(path)
    canvas = Canvas(str(path), pagesize=(layout.page_width, layout.page_height), invariant=True)
    canvas.setTitle("Zhijian component labels / 构件标识")
    cell_w = layout.page_width / layout.columns
    cell_h = layout.page_height / layout.rows
    pages = 0
    for start in range(0, len(prepared), layout.per_page):
        pages += 1
        for slot, (label, code, qr) in enumerate(prepared[start : start + layout.per_page]):
            column, row = slot % layout.columns, slot // layout.columns
            x = column * cell_w
            y = layout.page_height - (row + 1) * cell_h
            _draw_label(canvas, label, code, qr, x, y, cell_w, cell_h, layout.margin)
        canvas.showPage()
    canvas.save()
    return SheetInfo(path, pages, len(prepared))


def _draw_label(
    canvas: Canvas, label: Label, code: ComponentCode, qr: segno.QRCode,
    x: float, y: float, width: float, height: float, margin: float,
) -> None:
    qr_side = height - 2 * margin
    _draw_qr(canvas, qr, x + margin, y + margin, qr_side)
    text_x = x + margin + qr_side + 1.5 * mm
    text_w = x + width - margin - text_x
    top = y + height - margin
    first, second = code.printed[:13], code.printed[14:]  # 100023-01-F05 / DHB-000042-93
    canvas.setFillColorRGB(0, 0, 0)
    size = _fit(first, CODE_FONT, 9, text_w)
    canvas.setFont(CODE_FONT, size)
    canvas.drawString(text_x, top - size, first)
    canvas.drawString(text_x, top - 2.1 * size, second)
    line_y = top - 2.1 * size - 3.5 * mm
    kind = " ".join(p for p in (label.type_zh, label.concrete_grade, _tonnes(label.weight_kg)) if p)
    for text, base in ((kind, 8.5), (label.project, 7), (f"{label.building}  {label.storey}", 7)):
        size = _fit(text, CJK_FONT, base, text_w)
        canvas.setFont(CJK_FONT, size)
        canvas.drawString(text_x, line_y, _ellipsis(text, CJK_FONT, size, text_w))
        line_y -= size + 1.6 * mm


def _draw_qr(canvas: Canvas, qr: segno.QRCode, x: float, y: float, side: float) -> None:
    matrix = qr.matrix
    modules = len(matrix) + 2 * QR_BORDER
    unit = side / modules
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                run = c
                while run < len(row) and row[run]:
                    run += 1
                top = y + side - (QR_BORDER + r + 1) * unit
                path.rect(x + (QR_BORDER + c) * unit, top, (run - c) * unit, unit)
                c = run
            else:
                c += 1
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float, smallest: float = 5.0) -> float:
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _ellipsis(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _tonnes(weight_kg: float | None) -> str | None:
    return f"{weight_kg / 1000:.2f} t" if weight_kg else None


def _register_fonts() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _parse(code: str) -> ComponentCode:
    try:
        return parse_code(code)
    except ComponentCodeError as err:
        raise InputError(f"cannot label {normalise(str(code))!r}: {err}") from None

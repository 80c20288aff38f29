"""QR payloads and A4 label sheets."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import zlib

import pytest
import segno

from zhijian.domain.errors import InputError
from zhijian.domain.prefab.coding import CodeParts, issue_code, parse_code
from zhijian.domain.prefab.labels import (
    Label,
    SheetLayout,
    code_from_payload,
    component_url,
    label_sheet_pdf,
    qr_matrix,
    qr_payload,
    qr_png,
    qr_svg,
)

BASE = "https://zhijian.example.cn/c"
CODE = "10002301F05DHB00004293"
URL = f"{BASE}/{CODE}"


def labels(count: int) -> list[Label]:
    out = []
    for serial in range(1, count + 1):
        code = issue_code(CodeParts(100023, 1, 5, "DHB", serial))
        out.append(Label(code, component_url(BASE, code), "叠合板", "长沙梅溪湖保障房项目二期（装配式）", "1#楼", "5F", "C30", 1080.0))
    return out


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page(?!s)", data))


def pdf_text(data: bytes) -> bytes:
    """Page content streams, decoded (reportlab writes ASCII85 over Flate)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        stream = stream.strip()
        if stream.endswith(b"~>"):
            stream = base64.a85decode(stream[:-2])
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            out.append(stream)
    return b"\n".join(out)


# -- payload ----------------------------------------------------------------------------------
def test_the_component_url_carries_the_compact_code():
    assert component_url(BASE + "/", "100023-01-F05-DHB-000042-93") == URL


def test_the_payload_is_the_url_and_contains_the_code():
    payload = qr_payload(CODE, URL)
    assert payload == URL and CODE in payload


def test_the_qr_matrix_is_segnos_for_the_payload():
    expected = segno.make(URL, error="q", micro=False)
    assert qr_matrix(CODE, URL) == tuple(tuple(bool(v) for v in row) for row in expected.matrix)
    assert expected.error == "Q"


@pytest.mark.parametrize(
    "scanned",
    [
        URL,
        CODE,
        "100023-01-F05-DHB-000042-93",
        f"{BASE}/100023-01-f05-dhb-000042-93?src=scan",
        f"  {CODE.lower()}  ",
    ],
)
def test_a_scanned_payload_gives_back_the_code(scanned):
    assert code_from_payload(scanned).compact == CODE


@pytest.mark.parametrize("scanned", ["", "https://example.cn/", f"{BASE}/10002301F05DHB00004294", "hello"])
def test_payloads_without_a_valid_code_give_none(scanned):
    assert code_from_payload(scanned) is None


@pytest.mark.parametrize(
    ("code", "url", "reason"),
    [
        (CODE, f"{BASE}/10002301F05DHB00004391", "does not carry the code"),
        (CODE, "ftp://x/" + CODE, "must start with http"),
        ("10002301F05DHB00004294", URL, "cannot label .*expected 93"),
    ],
)
def test_bad_payload_input_is_refused(code, url, reason):
    with pytest.raises(InputError, match=reason):
        qr_payload(code, url)


def test_component_url_needs_a_web_address():
    with pytest.raises(InputError, match="base URL"):
        component_url("zhijian/c", CODE)


def test_svg_and_png_renderings():
    svg = qr_svg(CODE, URL)
    assert svg.startswith("<svg") and "100023-01-F05-DHB-000042-93" in svg
    png = qr_png(CODE, URL, scale=2)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # Width in the IHDR chunk: (33 modules + 2 × 4 quiet zone) × scale 2.
    assert int.from_bytes(png[16:20], "big") == (len(qr_matrix(CODE, URL)) + 8) * 2


# -- sheets ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("count", "pages"), [(1, 1), (24, 1), (25, 2), (49, 3)])
def test_a_sheet_has_24_labels_a_page(tmp_path, count, pages):
    info = label_sheet_pdf(labels(count), tmp_path / "labels.pdf")
    data = (tmp_path / "labels.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert info.pages == pages == pdf_pages(data)
    assert info.labels == count


def test_the_sheet_prints_the_code_in_text_and_uses_the_cjk_font(tmp_path):
    sheet = labels(2)
    label_sheet_pdf(sheet, tmp_path / "labels.pdf")
    data = (tmp_path / "labels.pdf").read_bytes()
    text = pdf_text(data)
    printed = parse_code(sheet[1].code).printed
    assert f"({printed[:13]})".encode() in text and f"({printed[14:]})".encode() in text
    assert b"/STSong-Light" in data


def test_a_custom_layout(tmp_path):
    info = label_sheet_pdf(labels(5), tmp_path / "l.pdf", SheetLayout(columns=2, rows=2))
    assert info.pages == 2 == pdf_pages((tmp_path / "l.pdf").read_bytes())


def test_sheets_are_reproducible(tmp_path):
    label_sheet_pdf(labels(3), tmp_path / "a.pdf")
    label_sheet_pdf(labels(3), tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize(
    ("sheet", "layout", "reason"),
    [
        ([], SheetLayout(), "no labels"),
        (labels(1), SheetLayout(columns=0), "at least one column"),
        ([Label("nonsense", URL, "叠合板", "p", "b", "s")], SheetLayout(), "cannot label 'NONSENSE'"),
        ([Label(CODE, "https://x.cn/other", "叠合板", "p", "b", "s")], SheetLayout(), "does not carry the code"),
    ],
)
def test_bad_sheets_are_refused(tmp_path, sheet, layout, reason):
    with pytest.raises(InputError, match=reason):
        label_sheet_pdf(sheet, tmp_path / "x.pdf", layout)
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs poppler-utils (pdftoppm) and zbar-tools (zbarimg) to render and decode the sheet",
)
def test_the_printed_qr_codes_decode_to_their_urls(tmp_path):
    sheet = labels(30)
    label_sheet_pdf(sheet, tmp_path / "labels.pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "labels.pdf"), str(tmp_path / "page")], check=True)
    decoded = []
    for page in sorted(tmp_path.glob("page-*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True).stdout
        decoded += out.split()
    assert sorted(decoded) == sorted(label.url for label in sheet)

"""Bad input never crashes: each case gives a one-line InputError."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import load_index
from zhijian.domain.errors import (
    EmptyFileError,
    FileTooLargeError,
    NoIfcInZipError,
    NotIfcError,
    TruncatedIfcError,
    UnsupportedSchemaError,
)


@pytest.fixture
def good_ifc(tmp_path: Path) -> Path:
    builder = ModelBuilder()
    builder.storey("1F", 0)
    return builder.save(tmp_path / "good.ifc")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.ifc"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty"):
        load_index(path)


def test_non_ifc_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.ifc"
    path.write_text("hello, this is not a model\n")
    with pytest.raises(NotIfcError, match="not an IFC file"):
        load_index(path)


def test_truncated_file_is_refused(tmp_path: Path, good_ifc: Path) -> None:
    data = good_ifc.read_bytes()
    path = tmp_path / "cut.ifc"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(TruncatedIfcError, match="truncated"):
        load_index(path)


def test_unknown_schema_is_refused(tmp_path: Path, good_ifc: Path) -> None:
    text = good_ifc.read_text().replace("FILE_SCHEMA(('IFC4'))", "FILE_SCHEMA(('IFC9'))")
    path = tmp_path / "ifc9.ifc"
    path.write_text(text)
    with pytest.raises(UnsupportedSchemaError, match="IFC9"):
        load_index(path)


def test_oversized_file_is_refused(good_ifc: Path) -> None:
    with pytest.raises(FileTooLargeError, match="over the limit"):
        load_index(good_ifc, max_bytes=100)


def test_zip_without_ifc_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.ifczip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(NoIfcInZipError):
        load_index(path)


def test_ifczip_is_read(tmp_path: Path, good_ifc: Path) -> None:
    path = tmp_path / "model.ifczip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(good_ifc, "inner/model.ifc")
    index = load_index(path)
    assert [s.name for s in index.storeys] == ["1F"]

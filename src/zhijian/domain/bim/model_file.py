"""Open an IFC file safely: sniff, size-limit and schema-check before IfcOpenShell parses it.

Every failure raises an :class:`~zhijian.domain.errors.InputError` subclass with a
one-line reason, so callers (CLI, upload service, worker) never show a traceback.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import ifcopenshell

from zhijian.domain.errors import (
    EmptyFileError,
    FileTooLargeError,
    NoIfcInZipError,
    NotIfcError,
    TruncatedIfcError,
    UnsupportedSchemaError,
)

DEFAULT_MAX_BYTES = int(os.environ.get("ZHIJIAN_MAX_MODEL_BYTES", 512 * 1024 * 1024))

SUPPORTED_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3")

_MAGIC = b"ISO-10303-21"
_END = b"END-ISO-10303-21"
_SCHEMA_RE = re.compile(rb"FILE_SCHEMA\s*\(\s*\(\s*'([^']+)'", re.IGNORECASE)


@dataclass(frozen=True)
class SniffResult:
    """What the first bytes of a file say, without parsing it."""

    schema: str  # as written in the header, e.g. "IFC4X3_ADD2"
    family: str  # one of SUPPORTED_SCHEMAS
    zipped: bool


def schema_family(identifier: str) -> str | None:
    """Map a header schema identifier to IFC2X3 / IFC4 / IFC4X3, or None if unsupported."""
    ident = identifier.upper()
    if ident.startswith("IFC4X3"):
        return "IFC4X3"
    if ident.startswith("IFC4"):
        return "IFC4"
    if ident.startswith("IFC2X3"):
        return "IFC2X3"
    return None


def sniff_bytes(head: bytes, *, zipped: bool = False) -> SniffResult:
    """Check the STEP header of an IFC file; raise an InputError if it is not a supported IFC."""
    if not head.strip():
        raise EmptyFileError("the file is empty")
    if _MAGIC not in head[:1024].lstrip(b"\xef\xbb\xbf \r\n\t")[: len(_MAGIC) + 8]:
        raise NotIfcError("not an IFC file: it does not start with an ISO-10303-21 (STEP) header")
    match = _SCHEMA_RE.search(head)
    if not match:
        raise TruncatedIfcError("the IFC header has no FILE_SCHEMA: the file is damaged or truncated")
    declared = match.group(1).decode("ascii", "replace")
    family = schema_family(declared)
    if family is None:
        raise UnsupportedSchemaError(
            f"unsupported IFC schema {declared!r}: Zhijian reads {', '.join(SUPPORTED_SCHEMAS)}"
        )
    return SniffResult(schema=declared, family=family, zipped=zipped)


def _check_size(size: int, max_bytes: int, what: str) -> None:
    if size == 0:
        raise EmptyFileError(f"{what} is empty")
    if size > max_bytes:
        raise FileTooLargeError(
            f"{what} is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:.1f} MB"
        )


def _check_complete(tail: bytes) -> None:
    if _END not in tail:
        raise TruncatedIfcError(
            "the IFC file is truncated: it does not end with END-ISO-10303-21"
        )


def read_ifc_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, SniffResult]:
    """Read an .ifc or .ifczip into memory as STEP bytes, checked but not yet parsed."""
    path = Path(path)
    if not path.is_file():
        raise NotIfcError(f"no such file: {path}")
    _check_size(path.stat().st_size, max_bytes, "the file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".ifc")]
            if not members:
                raise NoIfcInZipError("the zip archive contains no .ifc file")
            member = members[0]
            _check_size(member.file_size, max_bytes, f"{member.filename} in the archive")
            data = archive.read(member)
        zipped = True
    else:
        data = path.read_bytes()
        zipped = False
    sniff = sniff_bytes(data[:8192], zipped=zipped)
    _check_complete(data[-4096:])
    return data, sniff


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_ifc(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[ifcopenshell.file, SniffResult]:
    """Open a model after the checks above; IfcOpenShell parse errors become InputErrors."""
    model, sniff, _ = _open(Path(path), max_bytes, digest=False)
    return model, sniff


def open_ifc_hashed(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ifcopenshell.file, SniffResult, str]:
    """Like :func:`open_ifc`, plus the SHA-256 of the file as stored (of the archive for .ifczip)."""
    model, sniff, sha256 = open_ifc_hashing(path, max_bytes)
    return model, sniff, sha256.result()


def open_ifc_hashing(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ifcopenshell.file, SniffResult, Future[str]]:
    """Like :func:`open_ifc_hashed`, but the SHA-256 may still be being computed when the model
    is returned: the caller indexes the model meanwhile (``load_index``)."""
    model, sniff, sha256 = _open(Path(path), max_bytes, digest=True)
    assert sha256 is not None
    return model, sniff, sha256


def _open(path: Path, max_bytes: int, *, digest: bool) -> tuple[ifcopenshell.file, SniffResult, Future[str] | None]:
    if path.is_file() and not zipfile.is_zipfile(path):
        # Plain files: check head and tail only, then let IfcOpenShell read the file itself
        # (``from_string`` on bytes read here is slower and holds the text twice in memory).
        size = path.stat().st_size
        _check_size(size, max_bytes, "the file")
        with open(path, "rb") as handle:
            head = handle.read(8192)
            handle.seek(max(0, size - 4096))
            tail = handle.read()
        sniff = sniff_bytes(head)
        _check_complete(tail)
        # The digest is computed in a thread while IfcOpenShell parses and, as the thread is
        # not waited for here, while the caller goes on with the model: hashlib releases the
        # GIL, so on two cores hashing adds (almost) nothing to the wall time of a load.
        pool = ThreadPoolExecutor(max_workers=1)
        hashed = pool.submit(sha256_of, path) if digest else None
        pool.shutdown(wait=False)  # the thread ends when the digest is done
        try:
            # ``lazy``: one pass indexes the instances and each is decoded when first read.
            # Checks and rules read the building elements, their relations and sets, not
            # the geometry that makes up most of a model (demo building: open 60 → 28 ms
            # CPU, the reads after it 54 → 68 ms). Malformed tokens still fail here; an
            # unsupported syntax makes IfcOpenShell fall back to a full parse.
            model = ifcopenshell.open(str(path), lazy=True)
        except Exception as exc:  # IfcOpenShell raises several types for bad STEP
            raise TruncatedIfcError(f"the IFC file could not be parsed: {_one_line(exc)}") from exc
        return model, sniff, hashed
    data, sniff = read_ifc_bytes(path, max_bytes)
    done: Future[str] | None = None
    if digest:
        done = Future()
        done.set_result(sha256_of(path))
    try:
        return ifcopenshell.file.from_string(data.decode("utf-8", "replace")), sniff, done
    except Exception as exc:
        raise TruncatedIfcError(f"the IFC file could not be parsed: {_one_line(exc)}") from exc


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__

"""Uploads: streamed to a temporary file, hashed and capped on the way in, sniffed before acceptance.

:class:`CheckedUploadHandler` is the only upload handler (settings.FILE_UPLOAD_HANDLERS). It
writes each uploaded file to a temporary file in chunks, computes its SHA-256, keeps its
first bytes for sniffing, and skips the file as soon as it passes the size limit — the
partial temporary file is deleted and the request is marked so that the page or the API
answers 413 with the limit. :func:`inspect_upload` then checks what arrived, without
parsing it: empty, not IFC, truncated, unsupported schema, zip without IFC. Parsing the
model is the worker's job.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.http import HttpRequest

from zhijian.domain.bim.model_file import SniffResult, sniff_bytes
from zhijian.domain.errors import (
    EmptyFileError,
    FileTooLargeError,
    NoIfcInZipError,
    TruncatedIfcError,
)

HEAD_BYTES = 8192
TAIL_BYTES = 4096
_END = b"END-ISO-10303-21"
_ZIP_MAGIC = b"PK\x03\x04"


def max_upload_bytes() -> int:
    return int(settings.ZHIJIAN_MAX_MODEL_BYTES)


def refused_uploads(request: HttpRequest) -> list[str]:
    """Names of files the handler refused as too large in this request."""
    return list(getattr(request, "_zhijian_too_large", []))


class CheckedUploadHandler(TemporaryFileUploadHandler):
    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None) -> None:
        # A body far over the limit is refused at the first chunk, before anything is written.
        self.body_too_large = content_length > max_upload_bytes() + 1024 * 1024
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.head = bytearray()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if getattr(self, "body_too_large", False) or self.size > max_upload_bytes():
            refused = getattr(self.request, "_zhijian_too_large", [])
            refused.append(self.file_name or "")
            self.request._zhijian_too_large = refused
            raise SkipFile
        self.sha256.update(raw_data)
        if len(self.head) < HEAD_BYTES:
            self.head += raw_data[: HEAD_BYTES - len(self.head)]
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile:
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.sha256.hexdigest()  # type: ignore[attr-defined]
        uploaded.head = bytes(self.head)  # type: ignore[attr-defined]
        return uploaded


@dataclass(frozen=True)
class Inspected:
    sniff: SniffResult
    sha256: str
    size: int


def _sha256_and_head(upload: UploadedFile) -> tuple[str, bytes]:
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), head


def _tail(upload: UploadedFile, size: int) -> bytes:
    upload.seek(max(0, size - TAIL_BYTES))
    tail = upload.read()
    upload.seek(0)
    return tail


def _check_step(head: bytes, tail: bytes, zipped: bool = False) -> SniffResult:
    sniff = sniff_bytes(head, zipped=zipped)
    if _END not in tail:
        raise TruncatedIfcError("the IFC file is truncated: it does not end with END-ISO-10303-21")
    return sniff


def _inspect_zip(upload: UploadedFile, max_bytes: int) -> SniffResult:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".ifc")]
            if not members:
                raise NoIfcInZipError("the zip archive contains no .ifc file")
            member = members[0]
            if member.file_size > max_bytes:
                raise FileTooLargeError(
                    f"{member.filename} in the archive is {member.file_size / 1e6:.1f} MB, "
                    f"over the limit of {max_bytes / 1e6:.1f} MB"
                )
            head, tail = b"", b""
            with archive.open(member) as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    tail = (tail + chunk)[-TAIL_BYTES:]
    except zipfile.BadZipFile as exc:
        raise TruncatedIfcError(f"the zip archive is damaged: {exc}") from exc
    finally:
        upload.seek(0)
    return _check_step(head, tail, zipped=True)


def inspect_upload(upload: UploadedFile, max_bytes: int | None = None) -> Inspected:
    """Check an uploaded model without parsing it; raise an InputError with the reason."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    size = int(upload.size or 0)
    if size == 0:
        raise EmptyFileError("the file is empty")
    if size > limit:
        raise FileTooLargeError(f"the file is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:.1f} MB")
    sha256, head = getattr(upload, "sha256", None), getattr(upload, "head", None)
    if sha256 is None or head is None:  # not streamed through CheckedUploadHandler (tests, commands)
        sha256, head = _sha256_and_head(upload)
    if head.startswith(_ZIP_MAGIC):
        return Inspected(_inspect_zip(upload, limit), sha256, size)
    return Inspected(_check_step(head, _tail(upload, size)), sha256, size)

"""Designer replies from a BCF file sent back (BCF 2.0, 2.1 or 3.0), matched to a round's findings.

The designer typically returns our own export (``reports.bcf_report.write_bcf``: one topic per
rule and storey, titled ``<rule id> · <storey> · <rule title>``, the failing elements as
selected components) with comments added and perhaps the status set to Resolved or Closed.
:func:`read_replies` turns each topic into a plain :class:`Reply`; :func:`match_replies` pairs
replies with findings by (rule id, GlobalId), the key the round diff uses too.

Topics and their components are read by ``read_bcf`` (tolerant of real-world exports); the
comments are read here from each ``<guid>/markup.bcf`` with the same lenient XML handler.
A topic we did not write (no rule id in its title) is kept, with ``rule_id`` None, and never
matches a finding: the reviewer reads it by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import bcf.v2.model
import bcf.v3.model
from xsdata.exceptions import ParserError

from zhijian.domain.errors import BadBcfMarkupError, BcfVersionError, NotBcfError
from zhijian.domain.reports.bcf_report import STATUS_OPEN, read_bcf

# The lenient parser of read_bcf, shared so that comments are read as forgivingly as topics.
from zhijian.domain.reports.bcf_report import _LenientXml as LenientXml

SUPPORTED_VERSIONS = ("2.0", "2.1", "3.0")
# "<rule id> · <storey>[ · <title>]", optionally after a "[数据缺失] " / "[Missing data] " prefix.
_OUR_TITLE = re.compile(r"^(?:\[[^\]]*\]\s*)?(?P<rule>[^\s·][^·]*?) · (?P<storey>[^·]*?)(?: · .*)?$", re.S)
_IFC_GUID = re.compile(r"^[0-9A-Za-z_$]{22}")


@dataclass(frozen=True)
class ReplyComment:
    text: str  # "" when the tool wrote an empty comment (Solibri records status changes so)
    author: str
    date: dt.datetime | None
    guid: str = ""


@dataclass(frozen=True)
class Reply:
    """One BCF topic as the designer sent it back."""

    topic_guid: str
    title: str
    rule_id: str | None  # parsed from our title; None for topics we did not write
    storey: str | None
    component_guids: tuple[str, ...]
    comments: tuple[ReplyComment, ...]
    status: str | None  # the topic status in the file
    modified_by: str | None = None
    modified_at: dt.datetime | None = None

    @property
    def status_changed(self) -> bool:
        """True when the status is no longer the "Open" we export (e.g. Resolved, Closed)."""
        return bool(self.status) and self.status != STATUS_OPEN


@dataclass(frozen=True)
class ReplyFile:
    version: str  # "2.0", "2.1" or "3.0"
    replies: tuple[Reply, ...]


class FindingKey(Protocol):
    """Anything with a rule id and a GlobalId: ``round_diff.FindingFact``, a Finding row …"""

    @property
    def rule_id(self) -> str: ...

    @property
    def guid(self) -> str: ...


F = TypeVar("F", bound=FindingKey)


@dataclass(frozen=True)
class ReplyMatch(Generic[F]):
    reply: Reply
    findings: tuple[F, ...]  # the round's findings of this rule on the topic's components
    unknown_guids: tuple[str, ...]  # components with no finding of this rule in the round


# -- reading ------------------------------------------------------------------------------
def read_replies(source: Path | str | bytes) -> ReplyFile:
    """The replies in a BCF zip (a path, or the file's bytes as uploaded)."""
    if isinstance(source, bytes | bytearray):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "replies.bcfzip"
            path.write_bytes(source)
            return _read(path, "the uploaded file")
    return _read(Path(source), Path(source).name)


def _read(path: Path, name: str) -> ReplyFile:
    if not zipfile.is_zipfile(path):
        raise NotBcfError(f"{name} is not a BCF file: not a zip archive")
    handler = LenientXml()
    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
        markups = sorted(m for m in members if re.fullmatch(r"[^/]+/markup\.bcf", m))
        if not markups:
            raise NotBcfError(f"{name} is a zip without BCF topics (no <guid>/markup.bcf)")
        version = _version(archive, handler, name) if "bcf.version" in members else "2.0"
        markup_class = bcf.v3.model.Markup if version == "3.0" else bcf.v2.model.Markup
        details: dict[str, tuple[Any, tuple[ReplyComment, ...]]] = {}
        for member in markups:
            markup = _parse(archive.read(member), markup_class, handler, f"{name}: {member}")
            if markup.topic is None:
                raise BadBcfMarkupError(f"{name}: {member} has no Topic")
            # BCF 3.0 nests comments in the topic; 2.x lists them beside it.
            if version == "3.0":
                raw = markup.topic.comments.comment if markup.topic.comments else []
            else:
                raw = markup.comment or []
            guid = markup.topic.guid or member.split("/")[0]
            details[guid] = (markup.topic, tuple(_comment(c) for c in raw))
    try:
        _, topics = read_bcf(path)
    except (ParserError, ValueError) as exc:
        raise BadBcfMarkupError(f"{name}: a viewpoint is not readable XML ({_first_line(exc)})") from None
    replies = []
    for topic in topics:
        detail, comments = details.get(topic.guid, (None, ()))
        rule_id, storey = parse_title(topic.title or "")
        replies.append(
            Reply(
                topic_guid=topic.guid,
                title=topic.title or "",
                rule_id=rule_id,
                storey=storey,
                component_guids=topic.selected_guids,
                comments=comments,
                status=topic.topic_status,
                modified_by=getattr(detail, "modified_author", None),
                modified_at=_datetime(getattr(detail, "modified_date", None)),
            )
        )
    return ReplyFile(version, tuple(replies))


def parse_title(title: str) -> tuple[str | None, str | None]:
    """(rule id, storey) of a topic title written by ``write_bcf``; (None, None) otherwise."""
    found = _OUR_TITLE.match(title.strip())
    if not found:
        return None, None
    rule = found["rule"].strip()
    # Rule ids have no spaces, except IDS rules, which are named after their specification.
    if " " in rule and not rule.startswith("IDS:"):
        return None, None
    return rule, found["storey"].strip() or None


def _version(archive: zipfile.ZipFile, handler: LenientXml, name: str) -> str:
    try:
        version = handler.parse(archive.read("bcf.version"), bcf.v3.model.Version).version_id
    except (ParserError, ValueError) as exc:
        raise BcfVersionError(f"{name}: bcf.version is not readable ({_first_line(exc)})") from None
    version = (version or "").strip()
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(SUPPORTED_VERSIONS)
        raise BcfVersionError(f"{name}: BCF version {version or '(none)'!r} is not read; supported: {supported}")
    return version


def _parse(data: bytes, cls: type, handler: LenientXml, where: str) -> Any:
    try:
        return handler.parse(data, cls)
    except (ParserError, ValueError) as exc:
        raise BadBcfMarkupError(f"{where} is not readable XML ({_first_line(exc)})") from None


def _comment(comment: Any) -> ReplyComment:
    return ReplyComment(
        text=(comment.comment or "").strip(),
        author=comment.author or "",
        date=_datetime(comment.date),
        guid=comment.guid or "",
    )


def _datetime(value: Any) -> dt.datetime | None:
    return value.to_datetime() if value is not None else None


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


# -- matching -----------------------------------------------------------------------------
def match_replies(
    replies: Iterable[Reply], findings: Iterable[F]
) -> tuple[tuple[ReplyMatch[F], ...], tuple[Reply, ...]]:
    """(matched, unmatched): each reply with the findings its (rule id, components) name.

    A reply is unmatched when it has no rule id (a topic we did not write) or when none of its
    components has a finding of that rule in this round (the element passes now, or the file
    belongs to another round). Solibri-style component ids (``<GlobalId>.<part>``) match by
    their GlobalId. Several findings of one rule on one element (round_diff's duplicate keys)
    all match.
    """
    by_key: dict[tuple[str, str], list[F]] = {}
    for finding in findings:
        by_key.setdefault((finding.rule_id, _base_guid(finding.guid)), []).append(finding)
    matched: list[ReplyMatch[F]] = []
    unmatched: list[Reply] = []
    for reply in replies:
        if reply.rule_id is None:
            unmatched.append(reply)
            continue
        hits: list[F] = []
        unknown: list[str] = []
        for guid in dict.fromkeys(_base_guid(g) for g in reply.component_guids):
            found = by_key.get((reply.rule_id, guid))
            if found:
                hits.extend(found)
            else:
                unknown.append(guid)
        if hits:
            matched.append(ReplyMatch(reply, tuple(hits), tuple(unknown)))
        else:
            unmatched.append(reply)
    return tuple(matched), tuple(unmatched)


def _base_guid(guid: str) -> str:
    found = _IFC_GUID.match(guid or "")
    return found.group(0) if found else (guid or "")

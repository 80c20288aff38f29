"""Designer replies from BCF: our export round-tripped through bcf-client as a designer would edit
it, a BCF 2.1 file, the real Solibri files, and every kind of bad file."""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from pathlib import Path

import bcf.v2.bcfxml
import bcf.v2.model
import bcf.v3.model as mdl
import numpy as np
import pytest
from bcf.v3.bcfxml import BcfXml
from xsdata.models.datatype import XmlDateTime

from tests.conftest import SHARED
from tests.unit.test_reports_common import sample_report
from zhijian.domain.errors import BadBcfMarkupError, BcfVersionError, InputError, NotBcfError
from zhijian.domain.reports.bcf_report import topic_plan, write_bcf
from zhijian.domain.review.bcf_replies import Reply, match_replies, parse_title, read_replies
from zhijian.domain.review.round_diff import FindingFact

SHARED_BCF = SHARED / "data" / "bcf"
BEDROOM, RAILING = "GB55038-2025-4.2.1", "GB50096-2011-6.1.3"
REPLIED_AT = "2026-05-06T09:30:00+08:00"


def _comment(text: str, author: str = "李工（设计院）", when: str = REPLIED_AT) -> mdl.Comment:
    return mdl.Comment(guid=str(uuid.uuid4()), date=XmlDateTime.from_string(when), author=author, comment=text)


def designer_reply(report: dict, tmp_path: Path) -> Path:
    """Our export, edited in bcf-client the way a designer's BCF tool would edit it."""
    exported = write_bcf(report, tmp_path / "export")
    bcf_file = BcfXml.load(exported)
    by_title = {handler.topic.title: handler for handler in bcf_file.topics.values()}
    bedroom_1f = by_title["GB55038-2025-4.2.1 · 1F · 卧室使用面积"]
    bedroom_1f.comments = [_comment("已按意见调整卧室隔墙，面积 ≥ 9 m²。"), _comment("见修改后模型 v2。", "王工")]
    bedroom_1f.topic.topic_status = "Resolved"
    railing_2f = by_title["GB50096-2011-6.1.3 · 2F · 栏杆高度"]
    railing_2f.comments = [_comment("栏杆高度按 1.10 m 修改中，下一版提交。")]
    # The designer's own question, not one of ours: no rule id, no components.
    own = bcf_file.add_topic("楼梯间是否需要前室？", "请审查人员确认。", "李工（设计院）", "Issue", "Open")
    own.comments = [_comment("见附图。")]
    bcf_file.extensions.topic_statuses.topic_status.append("Resolved")
    bcf_file.extensions.topic_types.topic_type.append("Issue")
    reply = tmp_path / "reply.bcfzip"
    bcf_file.save(reply)
    bcf_file.close()
    return reply


def facts(report: dict) -> list[FindingFact]:
    return [FindingFact.from_report(f, ref=i) for i, f in enumerate(report["findings"])]


def test_round_trip_replies_match_the_findings_they_answer(tmp_path: Path) -> None:
    report = sample_report()
    replied = read_replies(designer_reply(report, tmp_path))
    assert replied.version == "3.0"
    assert len(replied.replies) == len(topic_plan(report)) + 1

    matched, unmatched = match_replies(replied.replies, facts(report))
    # Every topic we wrote matches its findings; only the designer's own question does not.
    assert len(matched) == len(topic_plan(report))
    assert [r.title for r in unmatched] == ["楼梯间是否需要前室？"]
    assert unmatched[0].rule_id is None and unmatched[0].comments[0].text == "见附图。"
    # Each finding is answered by exactly one topic, so nothing is lost or doubled.
    refs = sorted(f.ref for m in matched for f in m.findings)
    assert refs == list(range(len(report["findings"])))

    bedroom = next(m for m in matched if m.reply.rule_id == BEDROOM and m.reply.storey == "1F")
    assert [f.guid for f in bedroom.findings] == [report["findings"][i]["guid"] for i in (0, 1, 2)]
    assert bedroom.unknown_guids == ()
    assert bedroom.reply.status == "Resolved" and bedroom.reply.status_changed
    assert [(c.author, c.text) for c in bedroom.reply.comments] == [
        ("李工（设计院）", "已按意见调整卧室隔墙，面积 ≥ 9 m²。"),
        ("王工", "见修改后模型 v2。"),
    ]
    assert bedroom.reply.comments[0].date == dt.datetime(2026, 5, 6, 1, 30, tzinfo=dt.UTC)

    railing = next(m for m in matched if m.reply.rule_id == RAILING and m.reply.storey == "2F")
    assert len(railing.findings) == 60 and railing.reply.status == "Open" and not railing.reply.status_changed
    untouched = [m for m in matched if not m.reply.comments]
    assert len(untouched) == len(matched) - 2


def test_a_reply_matches_only_the_findings_still_open_in_the_round(tmp_path: Path) -> None:
    report = sample_report()
    replies = read_replies(designer_reply(report, tmp_path)).replies
    # Round 2: room 1 passes now; room 2 fails a different rule on the same element.
    round_2 = [f for f in facts(report) if f.guid != report["findings"][0]["guid"]]
    round_2 = [FindingFact("OTHER-RULE", f.guid, ref="x") if f.ref == 1 else f for f in round_2]
    matched, _ = match_replies(replies, round_2)
    bedroom = next(m for m in matched if m.reply.rule_id == BEDROOM and m.reply.storey == "1F")
    assert [f.ref for f in bedroom.findings] == [2]
    assert bedroom.unknown_guids == (report["findings"][0]["guid"], report["findings"][1]["guid"])
    # A file from another project matches nothing.
    matched, unmatched = match_replies(replies, [FindingFact(BEDROOM, "3xxxxxxxxxxxxxxxxxxxxx")])
    assert matched == () and len(unmatched) == len(replies)


def test_duplicate_keys_and_solibri_part_suffixes_all_match() -> None:
    guid = "2O2Fr$t4X7Zf8NOew3FL9r"
    reply = Reply("t", f"{BEDROOM} · 1F", BEDROOM, "1F", (f"{guid}.1", guid), (), "Open")
    twice = [FindingFact(BEDROOM, guid, ref=0), FindingFact(BEDROOM, guid, ref=1)]
    (match,), unmatched = match_replies([reply], twice)
    assert [f.ref for f in match.findings] == [0, 1] and unmatched == ()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("GB55038-2025-4.2.1 · 1F · 卧室使用面积", ("GB55038-2025-4.2.1", "1F")),
        ("GB50096-2011-6.1.3 · 2F", ("GB50096-2011-6.1.3", "2F")),
        ("[数据缺失] GB50096-2011-6.1.3 · 1F · 栏杆高度", ("GB50096-2011-6.1.3", "1F")),
        ("[Missing data] GB50096-2011-6.1.3 · No storey · Railing height", ("GB50096-2011-6.1.3", "No storey")),
        ("IDS:walls.ids:Walls have a fire rating · 3F", ("IDS:walls.ids:Walls have a fire rating", "3F")),
        ("Intersections Between Door and Slab", (None, None)),
        ("(B) Covering.1.294 (IFC_isolatie_115mm_glaswol 115) and (B) Covering.1.36 are inside", (None, None)),
        ("Stair headroom · level 2", (None, None)),
        ("", (None, None)),
    ],
)
def test_the_rule_id_is_read_from_our_titles_only(title: str, expected: tuple) -> None:
    assert parse_title(title) == expected


def test_a_bcf_2_1_reply_is_read_with_its_components_and_comments(tmp_path: Path) -> None:
    guids = ("2O2Fr$t4X7Zf8NOew3FL9r", "2O2Fr$t4X7Zf8NOew3FLAA")
    bcf_file = bcf.v2.bcfxml.BcfXml.create_new("示例住宅")
    topic = bcf_file.add_topic(f"{RAILING} · 2F · 栏杆高度", "", "zhijian", "Warning", "Open")
    topic.add_viewpoint_from_point_and_guids(np.array([0.0, 0.0, 0.0]), *guids)
    topic.comments = [
        bcf.v2.model.Comment(
            guid=str(uuid.uuid4()), date=XmlDateTime.from_string(REPLIED_AT), author="李工", comment="已修改。"
        )
    ]
    topic.topic.topic_status = "Closed"
    path = tmp_path / "reply21.bcfzip"
    bcf_file.save(path)
    bcf_file.close()

    replied = read_replies(path.read_bytes())  # as uploaded: bytes
    assert replied.version == "2.1"
    (reply,) = replied.replies
    assert (reply.rule_id, reply.storey, reply.status) == (RAILING, "2F", "Closed")
    assert reply.component_guids == guids
    assert [(c.author, c.text) for c in reply.comments] == [("李工", "已修改。")]


# -- real files made by others -------------------------------------------------------------

# Read from the files themselves (unzip -p … markup.bcf): one markup per topic, one <Comment>
# per markup. Solibri's comments are empty status records; Multicom's carry the text.
REAL = {
    "ROOT-Compleet_interne_modelkwaliteit.bcfzip": (6, 6, 0),
    "HB_Nutsvoorzieningen_Interne_modelkwaliteit.bcfzip": (2, 2, 0),
    "ROOT-Vebo_interne_modelkwaliteit.bcfzip": (1, 1, 0),
    "Controle_Multicom_01-04-2015.bcfzip": (2, 2, 2),  # no bcf.version at all
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_bcf_2_0_files_give_their_topics_and_comments(name: str) -> None:
    path = SHARED_BCF / name
    if not path.is_file():
        pytest.skip(f"shared data not present at {path}")
    topics, comments, with_text = REAL[name]
    replied = read_replies(path)
    assert replied.version == "2.0"
    assert len(replied.replies) == topics
    assert sum(len(r.comments) for r in replied.replies) == comments
    assert sum(1 for r in replied.replies for c in r.comments if c.text) == with_text
    # Nobody else's titles carry one of our rule ids: all stay unmatched.
    assert all(r.rule_id is None for r in replied.replies)
    assert all(c.author and c.date for r in replied.replies for c in r.comments)


@pytest.mark.shared_data
def test_real_multicom_comments_keep_author_date_and_text() -> None:
    path = SHARED_BCF / "Controle_Multicom_01-04-2015.bcfzip"
    if not path.is_file():
        pytest.skip(f"shared data not present at {path}")
    comments = sorted((c for r in read_replies(path).replies for c in r.comments), key=lambda c: c.text)
    assert [c.text[:3] for c in comments] == ["#01", "#02"]
    assert {c.author for c in comments} == {"Ligtvoet Joep"}
    assert comments[0].date == dt.datetime(2015, 4, 1, 18, 52, 42, 391244, tzinfo=dt.UTC)


# -- bad files ----------------------------------------------------------------------------
MARKUP = (
    '<?xml version="1.0" encoding="UTF-8"?><Markup><Topic Guid="{g}" TopicStatus="Open">'
    "<Title>t</Title></Topic></Markup>"
)


def _zip(tmp_path: Path, members: dict[str, str]) -> Path:
    path = tmp_path / "bad.bcfzip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


GUID = "d541355f-92cd-41f8-a819-83b7a8426bc5"


@pytest.mark.parametrize(
    ("members", "error", "reason"),
    [
        ({"readme.txt": "hello"}, NotBcfError, "zip without BCF topics"),
        ({"bcf.version": '<Version VersionId="2.1"/>'}, NotBcfError, "zip without BCF topics"),
        (
            {"bcf.version": '<Version VersionId="1.0"/>', f"{GUID}/markup.bcf": MARKUP.format(g=GUID)},
            BcfVersionError,
            "BCF version '1.0' is not read; supported: 2.0, 2.1, 3.0",
        ),
        (
            {"bcf.version": "<Version VersionId=", f"{GUID}/markup.bcf": MARKUP.format(g=GUID)},
            BcfVersionError,
            "bcf.version is not readable",
        ),
        (
            {"bcf.version": "<Version/>", f"{GUID}/markup.bcf": MARKUP.format(g=GUID)},
            BcfVersionError,
            "BCF version '\\(none\\)' is not read",
        ),
        ({f"{GUID}/markup.bcf": "<Markup><Topic"}, BadBcfMarkupError, "markup.bcf is not readable XML"),
        ({f"{GUID}/markup.bcf": "<Markup></Markup>"}, BadBcfMarkupError, "markup.bcf has no Topic"),
        (
            {
                f"{GUID}/markup.bcf": MARKUP.format(g=GUID).replace(
                    "</Topic>", "</Topic><Viewpoints Guid='x'><Viewpoint>v.bcfv</Viewpoint></Viewpoints>"
                ),
                f"{GUID}/v.bcfv": "<VisualizationInfo><Components",
            },
            BadBcfMarkupError,
            "a viewpoint is not readable XML",
        ),
    ],
)
def test_a_bad_bcf_file_is_refused_with_a_one_line_reason(
    tmp_path: Path, members: dict[str, str], error: type[InputError], reason: str
) -> None:
    with pytest.raises(error, match=reason) as caught:
        read_replies(_zip(tmp_path, members))
    assert isinstance(caught.value, InputError) and "\n" not in str(caught.value)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reply.bcfzip"
    path.write_text("ISO-10303-21;", encoding="utf-8")
    with pytest.raises(NotBcfError, match=r"reply\.bcfzip is not a BCF file: not a zip archive"):
        read_replies(path)
    with pytest.raises(NotBcfError, match="the uploaded file is not a BCF file"):
        read_replies(b"")

"""report.bcf: BCF 3.0 written with bcf-client, read back with bcf-client; real BCF 2.0 files read."""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from pathlib import Path

import ifcopenshell
import pytest
from bcf.v3.bcfxml import BcfXml

from tests.conftest import SHARED
from tests.unit.test_reports_common import sample_report
from zhijian.domain.reports.bcf_report import read_bcf, topic_plan, write_bcf

SHARED_BCF = SHARED / "data" / "bcf"
IFC_GUID = re.compile(r"^[0-9A-Za-z_$]{22}(\.\d+)?$")


def expected_topics(report: dict) -> dict[tuple[str, str | None, str], set[str]]:
    groups: dict[tuple[str, str | None, str], set[str]] = defaultdict(set)
    for finding in report["findings"]:
        groups[(finding["rule_id"], finding["storey"], finding["status"])].add(finding["guid"])
    return groups


def test_bcf_has_one_topic_per_rule_and_storey_with_the_failing_elements(tmp_path: Path) -> None:
    report = sample_report()
    path = write_bcf(report, tmp_path, "zh")
    assert path.name == "report.bcf"
    with BcfXml.load(path) as loaded:
        assert loaded.version.version_id == "3.0"
        topics = list(loaded.topics.values())
        expected = expected_topics(report)
        assert len(topics) == len(expected) == 5
        seen = set()
        for handler in topics:
            topic = handler.topic
            (viewpoint,) = handler.viewpoints.values()
            guids = set(viewpoint.get_selected_guids())
            key = next(k for k, v in expected.items() if v == guids)
            rule_id, storey, status = key
            seen.add(key)
            assert rule_id in topic.title and (storey or "未归属楼层") in topic.title
            assert topic.topic_status == "Open"
            if status == "missing_data":
                assert (topic.topic_type, topic.priority) == ("Information", "Low")
                assert topic.title.startswith("[数据缺失]")
            elif rule_id == "GB55038-2025-4.2.1":
                assert (topic.topic_type, topic.priority) == ("Error", "High")
            else:
                assert (topic.topic_type, topic.priority) == ("Warning", "Normal")
            standard = next(f["standard"] for f in report["findings"] if f["rule_id"] == rule_id)
            assert topic.labels.label == [standard, "architecture"]
            assert f"{standard} 第" in topic.description
        assert seen == set(expected)


def test_bcf_declares_its_types_priorities_and_labels(tmp_path: Path) -> None:
    with BcfXml.load(write_bcf(sample_report(), tmp_path)) as loaded:
        extensions = loaded.extensions
        assert extensions.topic_types.topic_type == ["Error", "Warning", "Information"]
        assert extensions.priorities.priority == ["High", "Normal", "Low"]
        assert set(extensions.topic_labels.topic_label) == {"GB 55038-2025", "GB 50096-2011", "architecture"}
        header_files = {h.header.files.file[0].filename for h in loaded.topics.values()}
        assert header_files == {"示例住宅.ifc"}


def test_description_lists_the_first_messages_then_counts_the_rest(tmp_path: Path) -> None:
    plan = topic_plan(sample_report(), "en")
    big = next(t for t in plan if "60 elements fail." in t.description)
    assert big.description.startswith("GB 50096-2011 clause 6.1.3")
    assert big.description.count("\n- ") == 5
    assert big.description.endswith("… and 55 more")
    assert "2F" in big.title and "Railing height" in big.title


def test_our_reader_reads_our_writer(tmp_path: Path) -> None:
    report = sample_report()
    version, topics = read_bcf(write_bcf(report, tmp_path, "en"))
    assert version == "3.0"
    assert sorted(len(t.selected_guids) for t in topics) == sorted(len(g) for g in expected_topics(report).values())
    assert {t.topic_type for t in topics} == {"Error", "Warning", "Information"}


def test_findings_without_an_ifc_guid_are_not_components(tmp_path: Path) -> None:
    report = sample_report()
    report["findings"][0]["guid"] = "#42"  # an IDS finding on an entity without GlobalId
    plan = topic_plan(report)
    assert all("#42" not in t.guids for t in plan)
    assert any("#42" in t.description for t in plan)
    write_bcf(report, tmp_path)  # still a valid file


def test_report_without_findings_gives_an_empty_but_valid_bcf(tmp_path: Path) -> None:
    report = sample_report()
    report["findings"] = []
    path = write_bcf(report, tmp_path)
    with BcfXml.load(path) as loaded:
        assert loaded.topics == {}
        assert loaded.project_info.project.name == "示例住宅.ifc"
    assert "bcf.version" in zipfile.ZipFile(path).namelist()


# -- real files made by others -----------------------------------------------------------

REAL_TOPICS = {
    "ROOT-Compleet_interne_modelkwaliteit.bcfzip": 6,
    "HB_Nutsvoorzieningen_Interne_modelkwaliteit.bcfzip": 2,
    "ROOT-Vebo_interne_modelkwaliteit.bcfzip": 1,
    "Controle_Multicom_01-04-2015.bcfzip": 2,  # has no bcf.version at all
}


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(REAL_TOPICS))
def test_real_bcf_2_files_are_read(name: str) -> None:
    path = SHARED_BCF / name
    if not path.is_file():
        pytest.skip(f"shared data not present at {path}")
    version, topics = read_bcf(path)
    assert version == "2.0"
    assert len(topics) == REAL_TOPICS[name]
    assert all(t.title for t in topics)
    for topic in topics:
        # Solibri appends ".<part>" to some GUIDs; the IFC GlobalId is the first 22 characters.
        assert all(IFC_GUID.match(g) for g in topic.selected_guids)
    if name != "Controle_Multicom_01-04-2015.bcfzip":  # its viewpoints select nothing
        assert all(t.selected_guids for t in topics)


@pytest.mark.shared_data
def test_components_of_a_real_bcf_are_elements_of_its_real_model() -> None:
    bcf_path = SHARED_BCF / "ROOT-Vebo_interne_modelkwaliteit.bcfzip"
    ifc_path = SHARED / "data" / "ifc" / "Schependomlaan_ROOT-Vebo.ifc"
    if not (bcf_path.is_file() and ifc_path.is_file()):
        pytest.skip(f"shared data not present at {SHARED / 'data'}")
    _, (topic,) = read_bcf(bcf_path)
    assert topic.topic_type == "Error" and "intersecting" in topic.title
    model = ifcopenshell.open(str(ifc_path))
    assert len(topic.selected_guids) == 2
    assert {model.by_guid(g).is_a() for g in topic.selected_guids} == {"IfcCovering"}

"""Every rule in the catalogue passes its passing model and fails its failing model.

Fixtures live in ``tests/rules/fixtures/<pack>/<module>.py`` and define ``RULE_ID``,
``passing(builder)`` and ``failing(builder)`` (or ``CASES = {rule_id: (passing, failing)}``
for modules that cover several rules). Each model is built in IFC4/mm and IFC2X3/m, so
unit handling and both schemas are exercised by every rule.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import pytest

from tests.rules import fixtures
from zhijian.domain.bim.authoring import ModelBuilder
from zhijian.domain.bim.index import build_index
from zhijian.domain.review.packs import all_packs
from zhijian.domain.review.rule import CheckContext, Rule, Status

Build = Callable[[ModelBuilder], None]


def _fixture_cases() -> dict[str, tuple[Build, Build]]:
    cases: dict[str, tuple[Build, Build]] = {}
    for module_info in pkgutil.walk_packages(fixtures.__path__, fixtures.__name__ + "."):
        module = importlib.import_module(module_info.name)
        if hasattr(module, "RULE_ID"):
            cases[module.RULE_ID] = (module.passing, module.failing)
        cases.update(getattr(module, "CASES", {}))
    return cases


CASES = _fixture_cases()
RULES: dict[str, Rule] = {r.meta.rule_id: r for p in all_packs() for r in p.rules}
VARIANTS = [("IFC4", "mm"), ("IFC2X3", "m"), ("IFC4X3", "mm")]


def _outcomes(rule: Rule, build: Build, schema: str, unit: str) -> list:
    builder = ModelBuilder(schema=schema, unit=unit)
    build(builder)
    index = build_index(builder.file)
    use = "public" if "public" in rule.meta.building_uses and "residential" not in rule.meta.building_uses else "residential"
    return list(rule.evaluate(CheckContext(index=index, building_use=use)))


def test_every_rule_has_passing_and_failing_fixtures() -> None:
    assert sorted(set(RULES) - set(CASES)) == []
    assert sorted(set(CASES) - set(RULES)) == []


@pytest.mark.parametrize(("schema", "unit"), VARIANTS)
@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_passes_its_passing_model(rule_id: str, schema: str, unit: str) -> None:
    outcomes = _outcomes(RULES[rule_id], CASES[rule_id][0], schema, unit)
    statuses = [o.status for o in outcomes]
    assert Status.PASS in statuses
    assert Status.FAIL not in statuses and Status.MISSING_DATA not in statuses, outcomes


@pytest.mark.parametrize(("schema", "unit"), VARIANTS)
@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_fails_its_failing_model(rule_id: str, schema: str, unit: str) -> None:
    outcomes = _outcomes(RULES[rule_id], CASES[rule_id][1], schema, unit)
    failed = [o for o in outcomes if o.status is Status.FAIL]
    assert failed, outcomes
    assert all(o.message_zh and o.message_en for o in failed)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_findings_are_identical_in_mm_and_m(rule_id: str) -> None:
    def key(outcomes: list) -> list:
        return sorted((o.status, o.measured, o.required, o.unit, o.message_en) for o in outcomes)

    build = CASES[rule_id][1]
    assert key(_outcomes(RULES[rule_id], build, "IFC4", "mm")) == key(_outcomes(RULES[rule_id], build, "IFC4", "m"))

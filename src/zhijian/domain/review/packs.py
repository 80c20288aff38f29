"""Rule packs: one per standard edition, discovered from ``catalog/<family>/``.

A family package defines ``PACK = PackInfo(...)``; each module in it defines ``RULE``
(or ``RULES``). Adding a rule is adding a module; nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from zhijian.domain.review import catalog
from zhijian.domain.review.rule import Rule, RuleMeta


@dataclass(frozen=True)
class PackInfo:
    id: str  # e.g. "gb50096-2011"
    version: str  # bumped whenever any rule in the pack changes
    title_zh: str
    title_en: str
    standard: str  # e.g. "GB 50096-2011"

    @classmethod
    def of_standard(
        cls, id: str, version: str, standard: str, title_zh: str, title_en: str
    ) -> PackInfo:
        """The pack of one standard, titled by the standard's title and number."""
        return cls(id, version, f"{title_zh} {standard}", f"{title_en} {standard}", standard)


def rule_meta_for(
    standard: str, title_zh: str, title_en: str, **pack_fields: Any
) -> Callable[..., RuleMeta]:
    """A pack's ``rule_meta(**fields)``: the metadata every rule of the pack shares (its
    standard and titles, version "1", ``pack_fields`` such as ``mandatory`` and
    ``discipline``); a rule gives the rest and may override a shared value."""

    def rule_meta(**fields: Any) -> RuleMeta:
        return RuleMeta(
            standard=standard,
            standard_title_zh=title_zh,
            standard_title_en=title_en,
            **{"version": "1", **pack_fields, **fields},
        )

    return rule_meta


@dataclass(frozen=True)
class Pack:
    info: PackInfo
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return self.info.id


class UnknownPackError(KeyError):
    pass


@cache
def all_packs() -> tuple[Pack, ...]:
    packs = []
    for family in sorted(m.name for m in pkgutil.iter_modules(catalog.__path__) if m.ispkg):
        package = importlib.import_module(f"{catalog.__name__}.{family}")
        info: PackInfo | None = getattr(package, "PACK", None)
        if info is None:
            continue
        rules: list[Rule] = []
        for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            if hasattr(module, "RULE"):
                rules.append(module.RULE)
            rules.extend(getattr(module, "RULES", ()))
        packs.append(Pack(info=info, rules=tuple(sorted(rules, key=lambda r: r.meta.rule_id))))
    _check_unique_ids(packs)
    return tuple(packs)


def _check_unique_ids(packs: list[Pack]) -> None:
    seen: set[str] = set()
    for pack in packs:
        for rule in pack.rules:
            if rule.meta.rule_id in seen:
                raise ValueError(f"duplicate rule id {rule.meta.rule_id}")
            seen.add(rule.meta.rule_id)


def select_packs(ids: list[str] | None = None) -> list[Pack]:
    """The named packs (all when none are named); an unknown id raises UnknownPackError."""
    packs = all_packs()
    if not ids:
        return list(packs)
    by_id = {p.id: p for p in packs}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise UnknownPackError(
            f"unknown rule pack {', '.join(missing)}; available: {', '.join(by_id)}"
        )
    return [by_id[i] for i in ids]

"""What changed between two review rounds: findings keyed by (rule id, GlobalId).

Round N+1's findings against round N's:

* **new**: the key appears only in N+1;
* **resolved**: the key appears only in N (the element now passes, or is gone);
* **changed**: the key is in both and the measured value moved (or the status moved
  between ``fail`` and ``missing_data``);
* **still_open**: the key is in both, unchanged.

A rule that reports the same element twice in one run (several openings of one wall, say)
gives keys (rule id, GlobalId, 0), (…, 1) in report order, so nothing is lost or double
counted. Pure: plain values in, plain values out.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Measured values are SI; a move smaller than this (1 µm, 1 µm², …) is float noise.
TOLERANCE = 1e-6


class Change(enum.StrEnum):
    NEW = "new"
    RESOLVED = "resolved"
    CHANGED = "changed"
    STILL_OPEN = "still_open"


Key = tuple[str, str, int]


@dataclass(frozen=True)
class FindingFact:
    """The part of a finding the diff looks at; ``ref`` is the caller's id for the row."""

    rule_id: str
    guid: str
    status: str = "fail"
    measured: float | None = None
    unit: str = ""
    ref: Any = None

    @staticmethod
    def from_report(finding: Mapping[str, Any], ref: Any = None) -> FindingFact:
        return FindingFact(
            rule_id=str(finding["rule_id"]),
            guid=str(finding.get("guid") or ""),
            status=str(finding.get("status", "fail")),
            measured=finding.get("measured"),
            unit=str(finding.get("unit") or ""),
            ref=ref,
        )


@dataclass(frozen=True)
class DiffEntry:
    change: Change
    key: Key
    before: FindingFact | None
    after: FindingFact | None

    @property
    def rule_id(self) -> str:
        return self.key[0]

    @property
    def guid(self) -> str:
        return self.key[1]

    @property
    def delta(self) -> float | None:
        """How far the measured value moved (after − before), when both are numbers."""
        if self.before and self.after and _number(self.before.measured) and _number(self.after.measured):
            return float(self.after.measured) - float(self.before.measured)  # type: ignore[arg-type]
        return None


@dataclass(frozen=True)
class RoundDiff:
    entries: tuple[DiffEntry, ...] = field(default_factory=tuple)

    def of(self, change: Change) -> list[DiffEntry]:
        return [e for e in self.entries if e.change is change]

    @property
    def counts(self) -> dict[str, int]:
        counts = {c.value: 0 for c in Change}
        for entry in self.entries:
            counts[entry.change.value] += 1
        return counts

    @property
    def has_delta(self) -> bool:
        """Anything a reviewer must look at again: new or changed findings."""
        return any(e.change in (Change.NEW, Change.CHANGED) for e in self.entries)

    def change_of(self, ref: Any) -> Change | None:
        """The change of the current-round finding with this ``ref`` (None if not current)."""
        for entry in self.entries:
            if entry.after is not None and entry.after.ref == ref:
                return entry.change
        return None


def keyed(findings: Iterable[FindingFact]) -> dict[Key, FindingFact]:
    """Findings by (rule id, GlobalId, occurrence) in the order given."""
    seen: dict[tuple[str, str], int] = {}
    out: dict[Key, FindingFact] = {}
    for fact in findings:
        pair = (fact.rule_id, fact.guid)
        occurrence = seen.get(pair, 0)
        seen[pair] = occurrence + 1
        out[(fact.rule_id, fact.guid, occurrence)] = fact
    return out


def diff_rounds(previous: Iterable[FindingFact], current: Iterable[FindingFact]) -> RoundDiff:
    """Compare round N (``previous``) with round N+1 (``current``); round 1 diffs against ()."""
    before = keyed(previous)
    after = keyed(current)
    entries: list[DiffEntry] = []
    for key, fact in after.items():
        old = before.get(key)
        if old is None:
            entries.append(DiffEntry(Change.NEW, key, None, fact))
        elif _moved(old, fact):
            entries.append(DiffEntry(Change.CHANGED, key, old, fact))
        else:
            entries.append(DiffEntry(Change.STILL_OPEN, key, old, fact))
    entries.extend(DiffEntry(Change.RESOLVED, key, fact, None) for key, fact in before.items() if key not in after)
    order = {Change.NEW: 0, Change.CHANGED: 1, Change.STILL_OPEN: 2, Change.RESOLVED: 3}
    entries.sort(key=lambda e: (order[e.change], e.key))
    return RoundDiff(tuple(entries))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _moved(old: FindingFact, new: FindingFact) -> bool:
    if old.status != new.status:
        return True
    a, b = old.measured, new.measured
    if _number(a) and _number(b):
        return abs(float(a) - float(b)) > TOLERANCE * max(1.0, abs(float(a)), abs(float(b)))  # type: ignore[arg-type]
    return (a is None) != (b is None)

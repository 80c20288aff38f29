"""Review disciplines (审查专业), who may be assigned to them, and the staffing rule of approval.

The list is data (``data/disciplines.json``): the disciplines an agency assigns a reviewer
(审查人) and a checker (复核人) to — 建筑, 结构, 给排水, 暖通, 电气, 节能, 绿建, 勘察, 消防, 人防
(review-workflow.md §3.1, §1.6) — and the rule catalogue's own groupings (无障碍, 模型信息),
which the discipline named ``signed_by`` signs for. Keys are those the rules carry in
``RuleMeta.discipline`` and the letters group findings by.

Rules, all pure:

- a reviewer only reviews a discipline their membership declares (§4: 只能审本人具备资格的专业, S);
- a checker also declares the discipline and is allowed to check (复核);
- reviewer and checker of one discipline are two different people (the point of a check);
- an approval needs, for every discipline in scope, a reviewer and a checker (合格书须有各专业审查
  人员签字, V; 复核人签字, S): :func:`staffing_gaps` lists what is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from zhijian.domain.errors import InputError

DISCIPLINES_FILE = Path(__file__).parent / "data" / "disciplines.json"


class DisciplineError(InputError):
    """A discipline table that cannot be used, or an unknown discipline."""

    code = "bad_disciplines"


@dataclass(frozen=True)
class Discipline:
    key: str
    zh: str
    en: str
    assignable: bool = True  # gets a reviewer and a checker of its own
    signed_by: str = ""  # for a grouping that is not assignable: who signs for it
    verification: str = "U"

    def name(self, en: bool = False) -> str:
        return self.en if en else self.zh


@dataclass(frozen=True)
class DisciplineTable:
    disciplines: Mapping[str, Discipline] = field(hash=False)
    default_scope: tuple[str, ...] = ()

    def assignable(self) -> tuple[Discipline, ...]:
        return tuple(d for d in self.disciplines.values() if d.assignable)


@cache
def default_table() -> DisciplineTable:
    return load_table(DISCIPLINES_FILE)


def load_table(path: Path) -> DisciplineTable:
    """A discipline file (the shape of ``data/disciplines.json``), validated."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DisciplineError(f"no such file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DisciplineError(f"{name}: not valid JSON ({exc})") from None
    rows = data.get("disciplines") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise DisciplineError(f"{name}: 'disciplines' must be a non-empty list")
    table: dict[str, Discipline] = {}
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("key"), str) or not row["key"].strip():
            raise DisciplineError(f"{name}: every discipline needs a non-empty 'key'")
        key = row["key"]
        if key in table:
            raise DisciplineError(f"{name}: discipline {key!r} is listed twice")
        if row.get("verification", "U") not in ("V", "S", "U"):
            raise DisciplineError(f"{name}: discipline {key!r}: verification must be V, S or U")
        table[key] = Discipline(
            key, str(row.get("zh") or key), str(row.get("en") or key), bool(row.get("assignable", True)),
            str(row.get("signed_by") or ""), str(row.get("verification", "U")),
        )
    for d in table.values():
        if not d.assignable and (d.signed_by not in table or not table[d.signed_by].assignable):
            raise DisciplineError(f"{name}: {d.key!r} is not assignable and needs 'signed_by' naming one that is")
    scope = data.get("default_scope", [])
    if not isinstance(scope, list) or not all(k in table and table[k].assignable for k in scope):
        raise DisciplineError(f"{name}: 'default_scope' must list assignable disciplines")
    return DisciplineTable(table, tuple(scope))


def assignable_keys(table: DisciplineTable | None = None) -> tuple[str, ...]:
    return tuple(d.key for d in (table or default_table()).assignable())


def default_scope(table: DisciplineTable | None = None) -> list[str]:
    return list((table or default_table()).default_scope)


def discipline_name(key: str, en: bool = False, table: DisciplineTable | None = None) -> str:
    found = (table or default_table()).disciplines.get(key)
    return found.name(en) if found else key


def signing_discipline(key: str, table: DisciplineTable | None = None) -> str:
    """The assignable discipline that signs for findings grouped under ``key`` ("" when none)."""
    found = (table or default_table()).disciplines.get(key)
    if found is None:
        return ""
    return found.key if found.assignable else found.signed_by


def normalise_scope(keys: Iterable[str], table: DisciplineTable | None = None) -> list[str]:
    """A scope in table order without repeats; an unknown or non-assignable key is refused."""
    table = table or default_table()
    wanted = [str(k).strip() for k in keys]
    known = assignable_keys(table)
    for key in wanted:
        if key not in known:
            raise DisciplineError(f"unknown review discipline {key!r}; known: {', '.join(known)}")
    return [k for k in known if k in wanted]


def scope_with_findings(
    scope: Iterable[str], finding_disciplines: Iterable[str], table: DisciplineTable | None = None
) -> list[str]:
    """The declared scope widened by every discipline a standing finding belongs to.

    A finding of a discipline nobody was assigned to would otherwise go unsigned.
    """
    table = table or default_table()
    keys = set(scope) | {signing_discipline(k, table) for k in finding_disciplines} - {""}
    return [k for k in assignable_keys(table) if k in keys]


# -- who may be assigned ------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A person proposed for a discipline, as the agency's memberships describe them."""

    person: Any  # an id
    in_agency: bool  # a reviewer or admin of the project's review agency
    disciplines: frozenset[str] = frozenset()
    may_check: bool = False


@dataclass(frozen=True)
class AssignmentRefusal:
    code: str
    detail: str


def assignment_refusal(
    discipline: str, reviewer: Candidate | None, checker: Candidate | None, scope: Iterable[str],
    table: DisciplineTable | None = None,
) -> AssignmentRefusal | None:
    """Why this reviewer/checker pair cannot take ``discipline`` — or None when they can."""
    table = table or default_table()
    if discipline not in assignable_keys(table):
        return AssignmentRefusal("unknown_discipline", f"unknown review discipline {discipline!r}")
    if discipline not in set(scope):
        return AssignmentRefusal(
            "discipline_out_of_scope", f"{discipline} is not in this submission's scope; add it to the scope first"
        )
    if reviewer is None and checker is None:
        return AssignmentRefusal("assignee_required", "name a reviewer, a checker or both")
    for role, who in (("reviewer", reviewer), ("checker", checker)):
        if who is None:
            continue
        if not who.in_agency:
            return AssignmentRefusal(
                "not_agency_member", f"the {role} is not a reviewer of the project's review agency"
            )
        if discipline not in who.disciplines:
            return AssignmentRefusal(
                "discipline_not_held", f"the {role} has not declared the discipline {discipline}"
            )
    if checker is not None and not checker.may_check:
        return AssignmentRefusal("not_a_checker", "the checker is not allowed to check (复核) reviews")
    if reviewer is not None and checker is not None and reviewer.person == checker.person:
        return AssignmentRefusal("same_person", "the reviewer and the checker of a discipline must be two people")
    return None


# -- the approval rule --------------------------------------------------------------------
@dataclass(frozen=True)
class Gap:
    discipline: str
    missing: tuple[str, ...]  # "reviewer", "checker"


def staffing_gaps(
    scope: Iterable[str], assignments: Mapping[str, tuple[Any, Any]]
) -> tuple[Gap, ...]:
    """Disciplines in scope that lack a reviewer or a checker; ``assignments``: key → (reviewer, checker).

    An empty scope is itself a gap: nobody would sign the certificate.
    """
    keys = list(scope)
    if not keys:
        return (Gap("", ("reviewer", "checker")),)
    gaps = []
    for key in keys:
        reviewer, checker = assignments.get(key, (None, None))
        missing = tuple(role for role, who in (("reviewer", reviewer), ("checker", checker)) if not who)
        if missing:
            gaps.append(Gap(key, missing))
    return tuple(gaps)

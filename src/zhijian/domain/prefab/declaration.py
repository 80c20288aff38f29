"""Declarations: what a model cannot show (全装修, 干式工法, 集成厨房 …), signed by a person.

A declaration file is JSON or TOML::

    # declaration.toml
    project = "长沙某住宅项目"          # optional
    [[items]]
    key = "full_fitout"                 # item key or symbol (q3b …) of the scoring table
    value = true                        # yes/no item: true/false, 是/否
    declared_by = "张工"
    role = "设计单位项目负责人"
    date = "2026-05-01"
    evidence = "装修施工图 ZS-01～ZS-12"

    [[items]]
    key = "integrated_kitchen"
    value = 0.75                        # ratio item: 0–1, or "75%"
    ...
    [[items]]
    key = "integrated_bathroom"
    value = "absent"                    # the building has none (缺项 → Q4), where the table allows

JSON: ``{"items": [{...}, ...]}`` with the same fields. Unknown items, items the model
computes, values out of range, missing fields and duplicates are refused with the line and
key at fault.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhijian.domain.errors import DeclarationError
from zhijian.domain.prefab.precast import yes_no
from zhijian.domain.prefab.scoring_table import ScoringTable

REQUIRED_FIELDS = ("key", "value", "declared_by", "role", "date", "evidence")
TOP_LEVEL = {"items", "project", "building", "table", "declaration_version"}
ABSENT = {"absent", "缺项", "无", "none", "n/a"}
_PERCENT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Declared:
    key: str  # the scoring table's item key
    value: float | bool | None  # ratio 0–1, yes/no; None when absent
    absent: bool
    declared_by: str
    role: str
    date: str  # ISO 8601
    evidence: str
    line: int | None = None

    @property
    def display(self) -> str:
        if self.absent:
            return "缺项 (absent)"
        if isinstance(self.value, bool):
            return "是" if self.value else "否"
        return f"{self.value * 100:.1f}%" if self.value is not None else "—"


@dataclass(frozen=True)
class Declarations:
    file: str
    project: str | None
    items: dict[str, Declared]

    def get(self, key: str) -> Declared | None:
        return self.items.get(key)


NO_DECLARATIONS = Declarations(file="", project=None, items={})


def load_declarations(path: Path | str, table: ScoringTable) -> Declarations:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DeclarationError(f"no such declaration file: {path}") from None
    except UnicodeDecodeError:
        raise DeclarationError(f"{path.name}: not a UTF-8 text file") from None
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise DeclarationError(f"{path.name}: a declaration file must be .json or .toml")
    return parse_declarations(text, suffix.lstrip("."), table, path.name)


def parse_declarations(text: str, fmt: str, table: ScoringTable, file: str = "<declaration>") -> Declarations:
    if fmt == "json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DeclarationError(f"{file} line {exc.lineno}: not valid JSON: {exc.msg}") from None
    else:
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DeclarationError(f"{file}: not valid TOML: {exc}") from None
    if not isinstance(raw, dict):
        raise DeclarationError(f"{file}: expected an object with an 'items' list")
    unknown = sorted(set(raw) - TOP_LEVEL)
    if unknown:
        raise DeclarationError(f"{file}: unknown top-level key {', '.join(unknown)} (expected {', '.join(sorted(TOP_LEVEL))})")
    if raw.get("table") not in (None, table.id):
        raise DeclarationError(f"{file}: declared for table {raw['table']!r}, evaluated with {table.id!r}")
    rows = raw.get("items")
    if not isinstance(rows, list) or not rows:
        raise DeclarationError(f"{file}: 'items' must be a non-empty list of declared items")
    locator = _Locator(text, fmt)
    items: dict[str, Declared] = {}
    for position, row in enumerate(rows):
        declared = _item(row, position, table, file, locator)
        if declared.key in items:
            first = items[declared.key].line
            raise DeclarationError(
                f"{_where(file, declared.line, position)}: item {declared.key!r} is declared twice"
                + (f" (first on line {first})" if first else "")
            )
        items[declared.key] = declared
    project = raw.get("project")
    return Declarations(file=file, project=str(project) if project is not None else None, items=items)


class _Locator:
    """Best-effort line numbers: where an item's key is written, else its n-th [[items]] header."""

    def __init__(self, text: str, fmt: str) -> None:
        self.lines = text.splitlines()
        self.fmt = fmt
        self.seen: dict[str, int] = {}  # key → occurrences located so far (a key declared twice)

    def line_of(self, key: Any, position: int) -> int | None:
        if isinstance(key, str):
            pattern = (
                re.compile(rf'"key"\s*:\s*"{re.escape(key)}"') if self.fmt == "json" else re.compile(rf'^\s*key\s*=\s*["\']{re.escape(key)}["\']')
            )
            found = [number for number, line in enumerate(self.lines, 1) if pattern.search(line)]
            nth = self.seen.get(key, 0)
            self.seen[key] = nth + 1
            if nth < len(found):
                return found[nth]
        if self.fmt == "toml":
            headers = [n for n, line in enumerate(self.lines, 1) if line.strip().startswith("[[items]]")]
            if position < len(headers):
                return headers[position]
        return None


def _where(file: str, line: int | None, position: int) -> str:
    return f"{file} line {line}" if line else f"{file} items[{position}]"


def _item(row: Any, position: int, table: ScoringTable, file: str, locator: _Locator) -> Declared:
    key = row.get("key") if isinstance(row, dict) else None
    line = locator.line_of(key, position)
    where = _where(file, line, position)
    if not isinstance(row, dict):
        raise DeclarationError(f"{where}: each item must be an object with {', '.join(REQUIRED_FIELDS)}")
    unknown = sorted(set(row) - set(REQUIRED_FIELDS))
    if unknown:
        raise DeclarationError(f"{where}: unknown field {', '.join(unknown)} (expected {', '.join(REQUIRED_FIELDS)})")
    missing = [f for f in REQUIRED_FIELDS if row.get(f) in (None, "")]
    if missing:
        label = f" item {key!r}" if key else ""
        raise DeclarationError(f"{where}:{label} missing {', '.join(missing)}")
    item = table.find_item(str(key))
    if item is None:
        declarable = ", ".join(i.key for i in table.items if i.source != "model" or i.may_be_missing)
        raise DeclarationError(f"{where}: unknown item {key!r}; declarable items: {declarable}")
    value = row["value"]
    absent = isinstance(value, str) and value.strip().lower() in ABSENT
    if item.source == "model" and not (absent and item.may_be_missing):
        only = " (only its absence, value = \"absent\", can be declared)" if item.may_be_missing else ""
        raise DeclarationError(
            f"{where}: item {key!r} ({item.zh}) is computed from the model and cannot be declared{only}; "
            "correct a precast decision with --override instead"
        )
    where = f"{where}: item {item.key!r}"
    parsed: float | bool | None
    if absent:
        if not item.may_be_missing:
            raise DeclarationError(f"{where} ({item.zh}) cannot be absent: every building has it under {table.id}")
        parsed = None
    elif item.kind == "boolean":
        parsed = yes_no(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else None
        if parsed is None:
            raise DeclarationError(f"{where}: value {value!r} must be yes or no (true/false, 是/否)")
    else:
        parsed = _ratio(value, where)
    date = row["date"]
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise DeclarationError(f"{where}: date {row['date']!r} is not an ISO date (YYYY-MM-DD)") from None
    if not isinstance(date, dt.date):
        raise DeclarationError(f"{where}: date {row['date']!r} is not an ISO date (YYYY-MM-DD)")
    return Declared(
        key=item.key,
        value=parsed,
        absent=absent,
        declared_by=str(row["declared_by"]).strip(),
        role=str(row["role"]).strip(),
        date=date.isoformat(),
        evidence=str(row["evidence"]).strip(),
        line=line,
    )


def _ratio(value: Any, where: str) -> float:
    hint = '(write 0.75 or "75%")'
    if isinstance(value, bool):
        raise DeclarationError(f"{where}: value {value!r} must be a ratio between 0 and 1 {hint}, not yes/no")
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if not match:
            raise DeclarationError(f"{where}: value {value!r} is not a ratio {hint}")
        number = float(match.group(1)) / 100
        shown = value.strip()
    elif isinstance(value, (int, float)):
        number = float(value)
        shown = f"{value}"
    else:
        raise DeclarationError(f"{where}: value {value!r} is not a ratio {hint}")
    if not 0 <= number <= 1 or number != number:
        raise DeclarationError(f"{where}: value {shown} is out of range: a ratio must be between 0 and 1 {hint}")
    return number

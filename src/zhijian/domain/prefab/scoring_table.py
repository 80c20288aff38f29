"""Scoring tables (表 4.0.1 and its provincial variants) as versioned data, and item scoring.

A table is a JSON file in ``prefab/data/``: parts with their minimum scores, items with their
ratio intervals and scores, preconditions, grade bands, rounding and measurement policies —
each fact with its verification level (V verified, S second-hand, U unverified). A provincial
standard is a new file, not new code. :func:`load_table` validates a file and refuses a bad
one with the field at fault.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from zhijian.domain.errors import ScoringTableError

DATA = Path(__file__).parent / "data"
DEFAULT_TABLE = "gbt51129_2017"
TABLE_FORMAT = 1

# What the model side knows how to measure; an item with another basis must be declared.
MODEL_BASES = frozenset(
    {
        "vertical_concrete_volume",
        "horizontal_projected_area",
        "envelope_wall_area",
        "envelope_integrated_area",
        "partition_wall_area",
        "partition_integrated_area",
    }
)
KINDS = frozenset({"interpolated", "threshold", "boolean"})
SOURCES = frozenset({"model", "declaration", "model_or_declaration"})
PRECONDITION_KINDS = frozenset({"part_min", "item_yes", "p_min", "item_ratio_min"})

# Ratios are rounded to this many decimals before any comparison, so that a model in mm and
# the same model in m (float noise from unit scaling) land on the same side of a boundary.
RATIO_DECIMALS = 6


class Verification(enum.StrEnum):
    VERIFIED = "V"
    SECOND_HAND = "S"
    UNVERIFIED = "U"


@dataclass(frozen=True)
class Part:
    key: str
    zh: str
    en: str
    max_score: float
    min_score: float | None


@dataclass(frozen=True)
class Item:
    key: str
    symbol: str
    part: str
    zh: str
    en: str
    basis: str | None
    source: str  # model | declaration | model_or_declaration
    basis_zh: str
    basis_en: str
    kind: str  # interpolated | threshold | boolean
    q_min: float | None
    q_max: float | None
    s_min: float | None
    s_max: float
    may_be_missing: bool
    verification: Verification  # of the score row
    basis_verification: Verification  # of the measurement rule
    note: str = ""
    alternative_group: str | None = None  # items of one group: the best score counts

    @property
    def requirement_zh(self) -> str:
        if self.kind == "interpolated":
            return f"{_pct(self.q_min)} ≤ 比例 ≤ {_pct(self.q_max)}"
        if self.kind == "threshold":
            return f"比例 ≥ {_pct(self.q_min)}"
        return "是"

    @property
    def requirement_en(self) -> str:
        if self.kind == "interpolated":
            return f"{_pct(self.q_min)} ≤ ratio ≤ {_pct(self.q_max)}"
        if self.kind == "threshold":
            return f"ratio ≥ {_pct(self.q_min)}"
        return "yes"

    @property
    def score_range(self) -> str:
        if self.kind == "interpolated":
            return f"{_num(self.s_min)}–{_num(self.s_max)}*"
        return _num(self.s_max)


@dataclass(frozen=True)
class Precondition:
    key: str
    kind: str  # part_min | item_yes | p_min | item_ratio_min
    zh: str
    en: str
    verification: Verification
    part: str | None = None
    item: str | None = None
    min: float | None = None


@dataclass(frozen=True)
class Grade:
    grade: str
    p_min: float
    p_max: float | None
    zh: str
    en: str
    verification: Verification


@dataclass(frozen=True)
class Fact:
    """A table-wide fact (formula, rounding, a policy) with its verification level."""

    value: Any
    verification: Verification
    note: str = ""


@dataclass(frozen=True)
class ScoringTable:
    id: str
    version: int
    edition: str
    title_zh: str
    title_en: str
    source: str
    formula_zh: str
    formula_en: str
    total_score: float
    missing_symbol: str
    formula: Fact  # the formula's structure
    missing_rule: Fact  # what counts as a missing item (Q4)
    rounding: Fact  # value: {"score_decimals", "p_decimals", "mode"}
    grade_rule: Fact  # value: "lower_bound" | "round_integer"
    policies: dict[str, Fact]
    parts: tuple[Part, ...]
    items: tuple[Item, ...]
    preconditions: tuple[Precondition, ...]
    grade_preconditions: tuple[Precondition, ...]
    grades: tuple[Grade, ...]
    file: str = ""

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def find_item(self, key_or_symbol: str) -> Item | None:
        for item in self.items:
            if key_or_symbol in (item.key, item.symbol):
                return item
        return None

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)

    def items_of(self, part: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.part == part)

    def policy(self, name: str) -> Fact | None:
        return self.policies.get(name)

    @property
    def score_decimals(self) -> int:
        return int(self.rounding.value["score_decimals"])

    @property
    def p_decimals(self) -> int:
        return int(self.rounding.value["p_decimals"])


# -- scoring ----------------------------------------------------------------------------------
def round_half_up(value: Decimal | float, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def normalise_ratio(ratio: float) -> Decimal:
    return Decimal(str(round(ratio, RATIO_DECIMALS)))


def item_score(table: ScoringTable, item: Item, value: float | bool) -> Decimal:
    """Points for a ratio (0–1) or, for a boolean item, a yes/no.

    Interpolated items: 0 below q_min, s_max at or above q_max, linear in between, rounded
    to the table's decimals (half up). Threshold items: s_max at or above q_min, else 0.
    """
    places = table.score_decimals
    if item.kind == "boolean":
        return round_half_up(item.s_max if value is True else 0, places)
    q = normalise_ratio(float(value))
    q_min = Decimal(str(item.q_min))
    s_max = Decimal(str(item.s_max))
    if q < q_min:
        return round_half_up(0, places)
    if item.kind == "threshold":
        return round_half_up(s_max, places)
    q_max = Decimal(str(item.q_max))
    s_min = Decimal(str(item.s_min))
    q = min(q, q_max)
    return round_half_up(s_min + (q - q_min) / (q_max - q_min) * (s_max - s_min), places)


# -- loading and validation -------------------------------------------------------------------
def available_tables() -> list[str]:
    """Stems of the scoring tables in prefab/data (other JSON data there is not a table)."""
    return sorted(p.stem for p in DATA.glob("*.json") if '"table_format"' in p.read_text(encoding="utf-8")[:200])


def load_table(name_or_path: str | Path = DEFAULT_TABLE) -> ScoringTable:
    """A table by name (a file stem in prefab/data) or by path, validated."""
    path = Path(name_or_path)
    if not path.suffix:
        path = DATA / f"{name_or_path}.json"
        if str(name_or_path) not in available_tables():
            raise ScoringTableError(
                f"unknown scoring table {name_or_path!r}; available: {', '.join(available_tables())}"
            )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScoringTableError(f"no such scoring table: {path}") from None
    except json.JSONDecodeError as exc:
        raise ScoringTableError(f"{path.name} line {exc.lineno}: not valid JSON: {exc.msg}") from None
    return parse_table(raw, file=path.name)


def parse_table(raw: dict[str, Any], file: str = "<table>") -> ScoringTable:
    reader = _Reader(file)
    return reader.table(raw)


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, message: str) -> ScoringTableError:
        return ScoringTableError(f"{self.file}: {where}: {message}")

    def get(self, obj: dict[str, Any], key: str, where: str, types: type | tuple[type, ...], optional: bool = False) -> Any:
        if not isinstance(obj, dict):
            raise self.fail(where, "must be an object")
        if key not in obj or obj[key] is None:
            if optional:
                return None
            raise self.fail(where, f"missing {key!r}")
        value = obj[key]
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            raise self.fail(f"{where}.{key}", f"must be {_type_names(types)}, not a boolean")
        if not isinstance(value, types):
            raise self.fail(f"{where}.{key}", f"must be {_type_names(types)}")
        return value

    def verification(self, obj: dict[str, Any], key: str, where: str) -> Verification:
        value = self.get(obj, key, where, str)
        try:
            return Verification(value)
        except ValueError:
            raise self.fail(f"{where}.{key}", f"must be V, S or U, not {value!r}") from None

    def table(self, raw: dict[str, Any]) -> ScoringTable:
        if not isinstance(raw, dict):
            raise self.fail("top level", "must be an object")
        fmt = self.get(raw, "table_format", "top level", int)
        if fmt != TABLE_FORMAT:
            raise self.fail("table_format", f"format {fmt} is not supported (this code reads {TABLE_FORMAT})")
        number = (int, float)
        formula = self.get(raw, "formula", "top level", dict)
        rounding = self.get(raw, "rounding", "top level", dict)
        grade_rule = self.get(raw, "grade_rule", "top level", dict)
        mode = self.get(rounding, "mode", "rounding", str)
        if mode != "half_up":
            raise self.fail("rounding.mode", f"only 'half_up' is implemented, not {mode!r}")
        grade_mode = self.get(grade_rule, "mode", "grade_rule", str)
        if grade_mode not in ("lower_bound", "round_integer"):
            raise self.fail("grade_rule.mode", f"must be 'lower_bound' or 'round_integer', not {grade_mode!r}")
        policies = {
            name: Fact(
                value={k: v for k, v in body.items() if k not in ("verification", "note")}
                if "value" not in body
                else body["value"],
                verification=self.verification(body, "verification", f"policies.{name}"),
                note=str(body.get("note", "")),
            )
            for name, body in (self.get(raw, "policies", "top level", dict, optional=True) or {}).items()
        }
        parts = tuple(self.part(p, f"parts[{i}]") for i, p in enumerate(self.get(raw, "parts", "top level", list)))
        items = tuple(self.item(it, f"items[{i}]") for i, it in enumerate(self.get(raw, "items", "top level", list)))
        table = ScoringTable(
            id=self.get(raw, "id", "top level", str),
            version=self.get(raw, "version", "top level", int),
            edition=self.get(raw, "edition", "top level", str),
            title_zh=self.get(raw, "title_zh", "top level", str),
            title_en=self.get(raw, "title_en", "top level", str),
            source=self.get(raw, "source", "top level", str),
            formula_zh=self.get(formula, "zh", "formula", str),
            formula_en=self.get(formula, "en", "formula", str),
            total_score=float(self.get(formula, "total_score", "formula", number)),
            missing_symbol=self.get(formula, "missing_symbol", "formula", str),
            formula=Fact(formula.get("zh"), self.verification(formula, "verification", "formula"), str(formula.get("note", ""))),
            missing_rule=Fact(
                formula.get("missing_zh", ""), self.verification(formula, "missing_verification", "formula")
            ),
            rounding=Fact(
                {
                    "score_decimals": self.get(rounding, "score_decimals", "rounding", int),
                    "p_decimals": self.get(rounding, "p_decimals", "rounding", int),
                    "mode": mode,
                },
                self.verification(rounding, "verification", "rounding"),
                str(rounding.get("note", "")),
            ),
            grade_rule=Fact(grade_mode, self.verification(grade_rule, "verification", "grade_rule"), str(grade_rule.get("note", ""))),
            policies=policies,
            parts=parts,
            items=items,
            preconditions=tuple(
                self.precondition(p, f"preconditions[{i}]")
                for i, p in enumerate(self.get(raw, "preconditions", "top level", list))
            ),
            grade_preconditions=tuple(
                self.precondition(p, f"grade_preconditions[{i}]")
                for i, p in enumerate(self.get(raw, "grade_preconditions", "top level", list, optional=True) or [])
            ),
            grades=tuple(self.grade(g, f"grades[{i}]") for i, g in enumerate(self.get(raw, "grades", "top level", list))),
            file=self.file,
        )
        self.check(table)
        return table

    def part(self, raw: dict[str, Any], where: str) -> Part:
        number = (int, float)
        return Part(
            key=self.get(raw, "key", where, str),
            zh=self.get(raw, "zh", where, str),
            en=self.get(raw, "en", where, str),
            max_score=float(self.get(raw, "max_score", where, number)),
            min_score=_opt_float(self.get(raw, "min_score", where, number, optional=True)),
        )

    def item(self, raw: dict[str, Any], where: str) -> Item:
        number = (int, float)
        key = self.get(raw, "key", where, str)
        where = f"{where} ({key})"
        kind = self.get(raw, "kind", where, str)
        if kind not in KINDS:
            raise self.fail(f"{where}.kind", f"must be one of {', '.join(sorted(KINDS))}, not {kind!r}")
        source = self.get(raw, "source", where, str)
        if source not in SOURCES:
            raise self.fail(f"{where}.source", f"must be one of {', '.join(sorted(SOURCES))}, not {source!r}")
        basis = self.get(raw, "basis", where, str, optional=True)
        if source != "declaration" and basis not in MODEL_BASES:
            raise self.fail(
                f"{where}.basis", f"a model item needs a basis among {', '.join(sorted(MODEL_BASES))}, not {basis!r}"
            )
        item = Item(
            key=key,
            symbol=self.get(raw, "symbol", where, str),
            part=self.get(raw, "part", where, str),
            zh=self.get(raw, "zh", where, str),
            en=self.get(raw, "en", where, str),
            basis=basis,
            source=source,
            basis_zh=str(raw.get("basis_zh", "")),
            basis_en=str(raw.get("basis_en", "")),
            kind=kind,
            q_min=_opt_float(self.get(raw, "q_min", where, number, optional=True)),
            q_max=_opt_float(self.get(raw, "q_max", where, number, optional=True)),
            s_min=_opt_float(self.get(raw, "s_min", where, number, optional=True)),
            s_max=float(self.get(raw, "s_max", where, number)),
            may_be_missing=self.get(raw, "may_be_missing", where, bool),
            verification=self.verification(raw, "verification", where),
            basis_verification=self.verification(raw, "basis_verification", where),
            note=str(raw.get("note", "")),
            alternative_group=self.get(raw, "alternative_group", where, str, optional=True),
        )
        if kind == "interpolated":
            if None in (item.q_min, item.q_max, item.s_min):
                raise self.fail(where, "an interpolated item needs q_min, q_max, s_min and s_max")
            if not 0 <= item.q_min < item.q_max <= 1:  # type: ignore[operator]
                raise self.fail(where, f"needs 0 ≤ q_min < q_max ≤ 1 (ratios as fractions), got {item.q_min}, {item.q_max}")
            if not 0 <= item.s_min <= item.s_max:  # type: ignore[operator]
                raise self.fail(where, f"needs 0 ≤ s_min ≤ s_max, got {item.s_min}, {item.s_max}")
        elif kind == "threshold" and (item.q_min is None or not 0 <= item.q_min <= 1):
            raise self.fail(where, "a threshold item needs q_min between 0 and 1 (a fraction)")
        if item.s_max <= 0:
            raise self.fail(where, "s_max must be positive")
        return item

    def precondition(self, raw: dict[str, Any], where: str) -> Precondition:
        kind = self.get(raw, "kind", where, str)
        if kind not in PRECONDITION_KINDS:
            raise self.fail(f"{where}.kind", f"must be one of {', '.join(sorted(PRECONDITION_KINDS))}, not {kind!r}")
        return Precondition(
            key=self.get(raw, "key", where, str),
            kind=kind,
            zh=self.get(raw, "zh", where, str),
            en=self.get(raw, "en", where, str),
            verification=self.verification(raw, "verification", where),
            part=self.get(raw, "part", where, str, optional=kind != "part_min"),
            item=self.get(raw, "item", where, str, optional=kind not in ("item_yes", "item_ratio_min")),
            min=_opt_float(self.get(raw, "min", where, (int, float), optional=kind == "item_yes")),
        )

    def grade(self, raw: dict[str, Any], where: str) -> Grade:
        return Grade(
            grade=self.get(raw, "grade", where, str),
            p_min=float(self.get(raw, "p_min", where, (int, float))),
            p_max=_opt_float(self.get(raw, "p_max", where, (int, float), optional=True)),
            zh=self.get(raw, "zh", where, str),
            en=self.get(raw, "en", where, str),
            verification=self.verification(raw, "verification", where),
        )

    def check(self, table: ScoringTable) -> None:
        """Cross-references and sums: a typo in a table fails loudly, here, not in a result."""
        part_keys = [p.key for p in table.parts]
        item_keys = [i.key for i in table.items]
        for keys, what in ((part_keys, "part"), (item_keys, "item"), ([i.symbol for i in table.items if i.symbol != "—"], "item symbol")):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise self.fail(f"{what}s", f"duplicate {what} {', '.join(dupes)}")
        if table.missing_symbol in part_keys:
            raise self.fail("formula.missing_symbol", f"{table.missing_symbol} is also a part")
        for item in table.items:
            if item.part not in part_keys:
                raise self.fail(f"item {item.key}", f"unknown part {item.part!r}")
        for part in table.parts:
            items = table.items_of(part.key)
            if not items:
                raise self.fail(f"part {part.key}", "has no items")
            best: dict[str, float] = {}
            for item in items:
                group = item.alternative_group or item.key
                best[group] = max(best.get(group, 0.0), item.s_max)
            total = round(sum(best.values()), 6)
            if total != round(part.max_score, 6):
                raise self.fail(f"part {part.key}", f"max_score {part.max_score:g} ≠ sum of its items' s_max {total:g}")
        for pre in (*table.preconditions, *table.grade_preconditions):
            if pre.part is not None and pre.part not in part_keys:
                raise self.fail(f"precondition {pre.key}", f"unknown part {pre.part!r}")
            if pre.item is not None and pre.item not in item_keys:
                raise self.fail(f"precondition {pre.key}", f"unknown item {pre.item!r}")
            if pre.kind == "item_yes" and pre.item and table.item(pre.item).kind != "boolean":
                raise self.fail(f"precondition {pre.key}", f"item {pre.item} is not a yes/no item")
        previous = -1.0
        for grade in table.grades:
            if grade.p_min <= previous:
                raise self.fail(f"grade {grade.grade}", "grades must be in ascending order of p_min")
            if grade.p_max is not None and grade.p_max < grade.p_min:
                raise self.fail(f"grade {grade.grade}", "p_max is below p_min")
            previous = grade.p_min


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _type_names(types: type | tuple[type, ...]) -> str:
    names = {int: "a number", float: "a number", str: "a string", bool: "true or false", list: "a list", dict: "an object"}
    seq = types if isinstance(types, tuple) else (types,)
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in seq))


def _pct(fraction: float | None) -> str:
    return "—" if fraction is None else f"{_num(fraction * 100)}%"


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if float(value).is_integer() else f"{round(value, 4):g}"

"""Letter numbers (文书编号) from configurable templates in ``data/letter_numbering.json``.

No numbering rule for Hunan's opinion letters or approval certificates was found
(review-workflow.md §3.3, U), so the format is data: a Python format string per kind of
letter over a fixed set of fields. The platform issues the serial (unique per agency and
year, never reused); this module only formats it and refuses a template it cannot fill.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from zhijian.domain.errors import LetterNumberingError

NUMBERING_FILE = Path(__file__).parent / "data" / "letter_numbering.json"
KINDS = ("opinion", "approval")
FIELDS = ("project_number", "year", "round", "serial", "agency_code", "type_code")


@dataclass(frozen=True)
class NumberTemplate:
    kind: str
    template: str
    defaults: Mapping[str, str] = field(default_factory=dict, hash=False)
    verification: str = "U"


@dataclass(frozen=True)
class LetterNumbering:
    templates: Mapping[str, NumberTemplate] = field(hash=False)

    @property
    def advisory(self) -> bool:
        return any(t.verification != "V" for t in self.templates.values())


def format_letter_number(
    kind: str,
    *,
    project_number: str,
    serial: int,
    year: int,
    round_number: int = 1,
    agency_code: str = "",
    type_code: str = "",
    numbering: LetterNumbering | None = None,
) -> str:
    """The number of a letter of ``kind`` ("opinion" or "approval") from its template."""
    numbering = numbering or default_numbering()
    spec = numbering.templates.get(kind)
    if spec is None:
        raise LetterNumberingError(f"no numbering template for {kind!r}; known: {', '.join(numbering.templates)}")
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 1:
        raise LetterNumberingError(f"the serial must be a whole number ≥ 1, got {serial!r}")
    given: dict[str, Any] = {
        "project_number": project_number.strip(),
        "year": year,
        "round": round_number,
        "serial": serial,
        "agency_code": agency_code.strip(),
        "type_code": type_code.strip(),
    }
    values = {k: v for k, v in given.items() if v != ""}
    values = {**spec.defaults, **values}
    for name in _fields(spec.template, kind):
        if name not in values:
            raise LetterNumberingError(f"the {kind} number template {spec.template!r} needs {name}, which was not given")
    try:
        return spec.template.format(**values)
    except (ValueError, TypeError) as exc:  # a format spec that does not fit the value, e.g. {project_number:03d}
        raise LetterNumberingError(f"the {kind} number template {spec.template!r} cannot be filled: {exc}") from None


@cache
def default_numbering() -> LetterNumbering:
    return load_numbering(NUMBERING_FILE)


def load_numbering(path: Path) -> LetterNumbering:
    """A numbering file (the shape of ``data/letter_numbering.json``), every template checked."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LetterNumberingError(f"no such file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LetterNumberingError(f"{path.name}: not valid JSON ({exc})") from None
    rows = data.get("templates") if isinstance(data, dict) else None
    if not isinstance(rows, dict):
        raise LetterNumberingError(f"{path.name}: 'templates' must be an object")
    templates = {}
    for kind in KINDS:
        row = rows.get(kind)
        if not isinstance(row, dict) or not isinstance(row.get("template"), str) or not row["template"].strip():
            raise LetterNumberingError(f"{path.name}: templates.{kind}.template must be a non-empty string")
        defaults = row.get("defaults", {})
        if not isinstance(defaults, dict) or not all(k in FIELDS for k in defaults):
            raise LetterNumberingError(f"{path.name}: templates.{kind}.defaults may only set {', '.join(FIELDS)}")
        _fields(row["template"], kind)
        templates[kind] = NumberTemplate(
            kind, row["template"], {k: str(v) for k, v in defaults.items()}, str(row.get("verification", "U"))
        )
    return LetterNumbering(templates)


def _fields(template: str, kind: str) -> list[str]:
    """The fields a template uses; an unknown field or a broken brace is refused."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise LetterNumberingError(f"the {kind} number template {template!r} is malformed: {exc}") from None
    for name in names:
        if name not in FIELDS:
            raise LetterNumberingError(
                f"the {kind} number template {template!r} uses unknown field {{{name}}}; known: {', '.join(FIELDS)}"
            )
    return names

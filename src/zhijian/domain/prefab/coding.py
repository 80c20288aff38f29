"""The city-wide precast component code (一物一码): issue, parse, validate.

Layout (version 1, fixed; a code format cannot change under codes already on labels)::

    100023-01-F05-DHB-000042-93
    │      │  │   │   │      └ check: 2 digits, ISO 7064 MOD 97-10 over the 20 characters before
    │      │  │   │   └ serial: 6 digits, 000001–999999, from the project's counter, never reused
    │      │  │   └ type: 3 letters, a row of data/component_types.json (DHB = 叠合板)
    │      │  └ storey: F01–F99 above ground (F01 = first storey at or above ±0.000),
    │      │            B01–B99 below ground (B01 = the storey just below ground)
    │      └ building: 2 digits, 01–99, the building's number within the project
    └ project: 6 digits, 000001–999999, the platform's number for the project

22 significant characters (the compact form, stored and put in URLs); the hyphens are presentation only. Every position holds either
only digits or only letters. Parsing ignores case, whitespace and hyphens (and full-width
forms, via NFKC), as scanners and Chinese input methods send them.

Why MOD 97-10 and not MOD 37,36: the hybrid MOD 37,36 system gives one alphanumeric check
character but misses some adjacent transpositions: from any internal state there is a pair of
characters with consecutive values whose swap leaves the check unchanged (36 such cases
over the 36 × 630 state-pair combinations, e.g. '98' and '89' after certain prefixes). MOD
97-10 (ISO 7064 pure system, modulus 97, two check digits, letters expanded to 10–35; the
scheme of the ISO 17442 LEI and of IBAN) changes the checksum by (x − y)·10^k on any
substitution of one digit or one letter for another of the same kind, by 9·(a − b)·10^k on a
swap of two digits and by 99·(x − y)·10^k on a swap of two letters — never a multiple of the
prime 97. Swapping a digit with a letter, or substituting one for the other, breaks the
per-position layout and is refused before the checksum is read. So every single-character
mistyping and every adjacent transposition is detected (tests/unit/test_component_code.py
proves it over generated codes). The price is a second check character.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from zhijian.domain.errors import InputError

LAYOUT_VERSION = 1

# (segment, kind of each character): "D" digit, "L" letter, "S" storey letter F or B.
_SEGMENTS: tuple[tuple[str, str], ...] = (
    ("project", "DDDDDD"),
    ("building", "DD"),
    ("storey", "SDD"),
    ("type", "LLL"),
    ("serial", "DDDDDD"),
    ("check", "DD"),
)
CODE_LENGTH = sum(len(kinds) for _, kinds in _SEGMENTS)  # 22 with the check digits
_KIND_PATTERN = {"D": "[0-9]", "L": "[A-Z]", "S": "[FB]"}
# The whole layout at once (the fast path); per-character diagnosis only when it fails.
_LAYOUT = re.compile("".join(f"({''.join(_KIND_PATTERN[k] for k in kinds)})" for _, kinds in _SEGMENTS))
BODY_LENGTH = CODE_LENGTH - 2
MAX_SERIAL = 999_999
MAX_PROJECT = 999_999
MAX_BUILDING = 99
MAX_STOREY = 99

# Hyphen-like characters scanners and input methods produce; NFKC already folds U+FF0D.
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\u00b7]+")


class ComponentCodeError(InputError):
    code = "bad_component_code"


class MalformedCodeError(ComponentCodeError):
    """The text does not have the code's layout (length, character kinds, ranges)."""

    code = "malformed_code"


class CheckDigitsError(ComponentCodeError):
    """The layout is right but the check digits do not match: a character is mistyped."""

    code = "wrong_check_digits"

    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.expected = expected


class UnknownComponentTypeError(ComponentCodeError):
    code = "unknown_component_type"


@dataclass(frozen=True)
class ComponentType:
    code: str  # 3 letters, the type segment of the component code
    zh: str
    en: str
    tolerance_class: str | None  # slab / beam / column / truss / wall (qc_tolerances.json)
    gbt51269_code: str | None  # GB/T 51269-2017 classification code where known
    gbt51269_verification: str  # V / S / U


@dataclass(frozen=True)
class CodeParts:
    """What a code encodes, before the check digits are computed."""

    project: int
    building: int
    storey: int  # 1, 2, … above ground; −1, −2, … below ground; never 0
    type_code: str
    serial: int  # drawn from the project's counter; never reused


@dataclass(frozen=True)
class ComponentCode:
    project: int
    building: int
    storey: int
    type_code: str
    serial: int
    check: str

    @property
    def body(self) -> str:
        return f"{self.project:06d}{self.building:02d}{storey_segment(self.storey)}{self.type_code}{self.serial:06d}"

    @property
    def compact(self) -> str:
        """The 22 significant characters, as stored and as put in URLs."""
        return self.body + self.check

    @property
    def printed(self) -> str:
        """Hyphenated for people: 100023-01-F05-DHB-000042-93."""
        return "-".join(
            (
                f"{self.project:06d}",
                f"{self.building:02d}",
                storey_segment(self.storey),
                self.type_code,
                f"{self.serial:06d}",
                self.check,
            )
        )

    @property
    def component_type(self) -> ComponentType:
        return component_types()[self.type_code]

    def __str__(self) -> str:
        return self.printed


@cache
def component_types() -> Mapping[str, ComponentType]:
    """The type table of data/component_types.json, by 3-letter code."""
    raw = component_types_document()
    types: dict[str, ComponentType] = {}
    for row in raw["types"]:
        code = row["code"]
        if not re.fullmatch(r"[A-Z]{3}", code) or code in types:
            raise ValueError(f"component_types.json: bad or repeated type code {code!r}")
        types[code] = ComponentType(
            code=code,
            zh=row["zh"],
            en=row["en"],
            tolerance_class=row.get("tolerance_class"),
            gbt51269_code=row.get("gbt51269_code"),
            gbt51269_verification=row.get("gbt51269_verification", "U"),
        )
    return types


@cache
def component_types_document() -> dict[str, Any]:
    text = resources.files("zhijian.domain.prefab").joinpath("data/component_types.json").read_text("utf-8")
    return json.loads(text)


def storey_segment(storey: int) -> str:
    if storey == 0 or abs(storey) > MAX_STOREY:
        raise MalformedCodeError(f"storey must be 1…{MAX_STOREY} or −1…−{MAX_STOREY}, got {storey}")
    return f"F{storey:02d}" if storey > 0 else f"B{-storey:02d}"


# ISO 7064 letters count as two digits, A = 10 … Z = 35 (python-stdnum's reading, either case).
_AS_DIGITS = str.maketrans(
    {c: str(v) for v, c in enumerate(string.ascii_uppercase, start=10)}
    | {c: str(v) for v, c in enumerate(string.ascii_lowercase, start=10)}
)


def check_digits(body: str) -> str:
    """ISO 7064 MOD 97-10 check digits for a code body of digits and letters.

    The digit string (letters expanded to 10–35, two zeros for the check) taken modulo 97 in
    one integer remainder: about 1 µs, where python-stdnum's ``mod_97_10.calc_check_digits``
    (the reference the tests compare against on generated codes) takes some 17 µs.
    """
    if not (body.isascii() and body.isalnum()):
        raise ValueError(f"check digits are computed over digits and letters A–Z, got {body!r}")
    return f"{98 - int(body.translate(_AS_DIGITS) + '00') % 97:02d}"


def issue_code(parts: CodeParts) -> str:
    """The compact code for a component (see :func:`build_code` for the value)."""
    return build_code(parts).compact


def build_code(parts: CodeParts) -> ComponentCode:
    """The code for a component; the caller draws ``parts.serial`` from the project's counter.

    Raises :class:`MalformedCodeError` for out-of-range parts and
    :class:`UnknownComponentTypeError` for a type not in the table.
    """
    serial = parts.serial
    if not 1 <= parts.project <= MAX_PROJECT:
        raise MalformedCodeError(f"project number must be 1…{MAX_PROJECT}, got {parts.project}")
    if not 1 <= parts.building <= MAX_BUILDING:
        raise MalformedCodeError(f"building number must be 1…{MAX_BUILDING}, got {parts.building}")
    if not 1 <= serial <= MAX_SERIAL:
        raise MalformedCodeError(f"serial must be 1…{MAX_SERIAL}, got {serial}")
    storey_segment(parts.storey)
    if parts.type_code not in component_types():
        raise UnknownComponentTypeError(f"unknown component type {parts.type_code!r}; known: {', '.join(component_types())}")
    draft = ComponentCode(parts.project, parts.building, parts.storey, parts.type_code, serial, "")
    return ComponentCode(parts.project, parts.building, parts.storey, parts.type_code, serial, check_digits(draft.body))


def normalise(text: str) -> str:
    """Upper case, full-width folded, whitespace and hyphens removed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def parse_code(text: str) -> ComponentCode:
    """A code from scanned or typed text, or a specific error saying what is wrong.

    Order of checks: layout (length, kind of each character, ranges), then the check digits
    (so a mistyped type letter reports the mistyping, not an unknown type), then the type.
    """
    if not isinstance(text, str):
        raise MalformedCodeError(f"a component code is text, got {type(text).__name__}")
    compact = normalise(text)
    if not compact:
        raise MalformedCodeError("empty component code")
    if len(compact) != CODE_LENGTH:
        raise MalformedCodeError(
            f"a component code has {CODE_LENGTH} characters (e.g. 100023-01-F05-DHB-000042-93), "
            f"got {len(compact)} in {text.strip()!r}"
        )
    match = _LAYOUT.fullmatch(compact)
    if match is None:
        _diagnose(compact)
    values = dict(zip((name for name, _ in _SEGMENTS), match.groups(), strict=True))  # type: ignore[union-attr]

    project, building, serial = int(values["project"]), int(values["building"]), int(values["serial"])
    storey_number = int(values["storey"][1:])
    for name, value in (("project", project), ("building", building), ("storey", storey_number), ("serial", serial)):
        if value == 0:
            raise MalformedCodeError(f"the {name} segment of {compact} is zero; numbering starts at 1")

    body, check = compact[:BODY_LENGTH], compact[BODY_LENGTH:]
    expected = check_digits(body)
    if check != expected:
        raise CheckDigitsError(
            f"check digits {check} do not match {body} (expected {expected}): a character is mistyped or swapped",
            expected,
        )
    if values["type"] not in component_types():
        raise UnknownComponentTypeError(f"unknown component type {values['type']!r} in {compact}")
    storey = storey_number if values["storey"][0] == "F" else -storey_number
    return ComponentCode(project, building, storey, values["type"], serial, check)


def compact_code(text: str) -> str:
    """The compact form of a code from scanned or typed text: :func:`parse_code`'s checks and
    errors, with a fast path for text already in the compact form (what scanners upload),
    which skips normalising and building a :class:`ComponentCode`."""
    if type(text) is str and (match := _LAYOUT.fullmatch(text)) is not None:
        project, building, storey, type_code, serial, check = match.groups()
        if (
            check == check_digits(text[:BODY_LENGTH])
            and type_code in component_types()
            and project != "000000" and building != "00" and storey[1:] != "00" and serial != "000000"
        ):
            return text
    return parse_code(text).compact


def is_valid_code(text: str) -> bool:
    try:
        parse_code(text)
    except ComponentCodeError:
        return False
    return True


def _diagnose(compact: str) -> None:
    """Raise the error naming the first character that breaks the layout."""
    position = 0
    for segment, kinds in _SEGMENTS:
        for offset, kind in enumerate(kinds):
            _expect(kind, compact[position + offset], position + offset, segment)
        position += len(kinds)
    raise MalformedCodeError(f"{compact} does not have the component code layout")  # unreachable by construction


def _expect(kind: str, char: str, position: int, segment: str) -> None:
    where = f"character {position + 1} ({segment})"
    if kind == "D" and not ("0" <= char <= "9"):
        raise MalformedCodeError(f"{where} must be a digit, got {char!r}")
    if kind == "L" and not ("A" <= char <= "Z"):
        raise MalformedCodeError(f"{where} must be a letter A–Z, got {char!r}")
    if kind == "S" and char not in "FB":
        raise MalformedCodeError(f"{where} must be F (above ground) or B (below ground), got {char!r}")

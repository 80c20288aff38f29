"""The component code: layout, round trips, and detection of every typing slip."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.iso7064 import mod_37_36, mod_97_10

from zhijian.domain.errors import InputError
from zhijian.domain.prefab.coding import (
    CODE_LENGTH,
    CheckDigitsError,
    CodeParts,
    ComponentCodeError,
    MalformedCodeError,
    UnknownComponentTypeError,
    build_code,
    check_digits,
    compact_code,
    component_types,
    is_valid_code,
    issue_code,
    parse_code,
)

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TYPES = sorted(component_types())

parts_strategy = st.builds(
    CodeParts,
    project=st.integers(1, 999_999),
    building=st.integers(1, 99),
    storey=st.integers(-99, 99).filter(lambda n: n != 0),
    type_code=st.sampled_from(TYPES),
    serial=st.integers(1, 999_999),
)


def sample_codes(count: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    storeys = [-99, -2, -1, 1, 2, 9, 10, 33, 99]
    return [
        issue_code(
            CodeParts(rnd.randint(1, 999_999), rnd.randint(1, 99), rnd.choice(storeys), rnd.choice(TYPES), rnd.randint(1, 999_999))
        )
        for _ in range(count)
    ]


def test_a_code_reads_as_its_parts():
    code = build_code(CodeParts(project=100023, building=1, storey=5, type_code="DHB", serial=42))
    assert code.printed == "100023-01-F05-DHB-000042-93"
    assert code.compact == "10002301F05DHB00004293"
    assert len(code.compact) == CODE_LENGTH == 22
    assert code.component_type.zh == "叠合板"


def test_basement_storeys_read_with_b():
    code = build_code(CodeParts(project=7, building=12, storey=-2, type_code="YJQ", serial=1))
    assert code.printed.startswith("000007-12-B02-YJQ-000001-")
    assert parse_code(code.printed).storey == -2


@given(parts_strategy)
def test_every_issued_code_parses_back_to_its_parts(parts):
    text = issue_code(parts)
    code = parse_code(text)
    assert (code.project, code.building, code.storey, code.type_code, code.serial) == (
        parts.project, parts.building, parts.storey, parts.type_code, parts.serial,
    )
    assert parse_code(code.printed) == code
    assert code.compact == text


@pytest.mark.parametrize(
    "as_sent",
    [
        "10002301f05dhb00004293",  # lower case
        "  100023-01-F05-DHB-000042-93\n",  # whitespace around
        "100023 01 F05 DHB 000042 93",  # spaces for hyphens
        "100023–01—F05‐DHB-000042-93",  # typographic dashes
        "１０００２３－０１－Ｆ０５－ＤＨＢ－００００４２－９３",  # full-width input method
        "1000-2301F05-DHB0000-4293",  # hyphens anywhere are presentation only
    ],
)
def test_scanner_and_keyboard_variants_normalise_to_the_same_code(as_sent):
    assert parse_code(as_sent).compact == "10002301F05DHB00004293"


def test_every_single_character_mistyping_is_detected():
    checked = 0
    for code in sample_codes(150):
        for position, original in enumerate(code):
            for replacement in ALPHABET:
                if replacement != original:
                    assert not is_valid_code(code[:position] + replacement + code[position + 1 :])
                    checked += 1
    assert checked == 150 * 22 * 35


def test_every_adjacent_transposition_is_detected():
    checked = 0
    for code in sample_codes(2000, seed=11):
        for position in range(len(code) - 1):
            a, b = code[position], code[position + 1]
            if a != b:
                assert not is_valid_code(code[:position] + b + a + code[position + 2 :])
                checked += 1
    assert checked > 2000 * 10


def test_adjacent_transpositions_in_the_printed_form_are_detected_or_harmless():
    for code_text in sample_codes(300, seed=3):
        printed = parse_code(code_text).printed
        for position in range(len(printed) - 1):
            a, b = printed[position], printed[position + 1]
            if a == b:
                continue
            swapped = printed[:position] + b + a + printed[position + 2 :]
            if "-" in (a, b):
                # A moved hyphen changes no significant character: the same code.
                assert parse_code(swapped).compact == code_text
            else:
                assert not is_valid_code(swapped)


def test_mod_37_36_would_have_missed_transpositions():
    # Why the code uses MOD 97-10: the hybrid MOD 37,36 system lets some adjacent swaps through.
    missed = []
    for n in range(10_000):
        code = f"{n:04d}"
        code += mod_37_36.calc_check_digit(code)
        swapped = code[:2] + code[3] + code[2] + code[4:]
        if code[2] != code[3] and mod_37_36.is_valid(swapped):
            missed.append((code, swapped))
    assert ("0689J", "0698J") in missed
    assert len(missed) == 52  # of 10 000 four-digit bodies


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty component code"),
        ("   ", "empty component code"),
        ("10002301F05DHB000042", "has 22 characters"),
        ("10002301F05DHB0000429312", "has 22 characters"),
        ("A0002301F05DHB00004293", "character 1 (project) must be a digit"),
        ("10002301X05DHB00004293", "character 9 (storey) must be F (above ground) or B"),
        ("10002301F0ADHB00004293", "character 11 (storey) must be a digit"),
        ("10002301F05D1B00004293", "character 13 (type) must be a letter"),
        ("10002301F05DHB0000A293", "character 19 (serial) must be a digit"),
        ("10002301F05DHB0000429Z", "character 22 (check) must be a digit"),
        ("10002301F05DHB000042#3", "character 21 (check) must be a digit"),
        ("00000001F05DHB00004293", "project segment"),
        ("10002300F05DHB00004293", "building segment"),
        ("10002301F00DHB00004293", "storey segment"),
        ("10002301F05DHB00000093", "serial segment"),
    ],
)
def test_malformed_codes_are_refused_with_their_reason(text, reason):
    with pytest.raises(MalformedCodeError, match=re.escape(reason)):
        parse_code(text)


def test_non_text_is_refused():
    with pytest.raises(MalformedCodeError, match="is text"):
        parse_code(10002301)  # type: ignore[arg-type]


def test_wrong_check_digits_name_the_expected_ones():
    with pytest.raises(CheckDigitsError, match=r"check digits 38 do not match .*expected 93") as err:
        parse_code("100023-01-F05-DHB-000042-38")
    assert err.value.expected == "93"
    assert err.value.code == "wrong_check_digits"


def test_an_unknown_type_with_right_check_digits_is_refused_as_unknown():
    body = "10002301F05XYZ000042"
    with pytest.raises(UnknownComponentTypeError, match="'XYZ'"):
        parse_code(body + check_digits(body))


def test_code_errors_are_input_errors():
    assert issubclass(ComponentCodeError, InputError)
    assert not is_valid_code("nonsense")


@pytest.mark.parametrize(
    ("parts", "error", "reason"),
    [
        (CodeParts(0, 1, 1, "DHB", 1), MalformedCodeError, "project number"),
        (CodeParts(1_000_000, 1, 1, "DHB", 1), MalformedCodeError, "project number"),
        (CodeParts(1, 0, 1, "DHB", 1), MalformedCodeError, "building number"),
        (CodeParts(1, 100, 1, "DHB", 1), MalformedCodeError, "building number"),
        (CodeParts(1, 1, 0, "DHB", 1), MalformedCodeError, "storey"),
        (CodeParts(1, 1, 100, "DHB", 1), MalformedCodeError, "storey"),
        (CodeParts(1, 1, -100, "DHB", 1), MalformedCodeError, "storey"),
        (CodeParts(1, 1, 1, "DHB", 0), MalformedCodeError, "serial"),
        (CodeParts(1, 1, 1, "DHB", 1_000_000), MalformedCodeError, "serial"),
        (CodeParts(1, 1, 1, "ABC", 1), UnknownComponentTypeError, "unknown component type"),
    ],
)
def test_out_of_range_parts_cannot_be_issued(parts, error, reason):
    with pytest.raises(error, match=reason):
        issue_code(parts)


def test_the_type_table_names_every_requested_type_and_leaves_gbt51269_unguessed():
    names = {t.zh for t in component_types().values()}
    assert {"预制剪力墙", "叠合板", "预制楼梯", "预制阳台板", "预制柱", "预制梁", "预制外墙板", "预制内墙板", "预制空调板"} <= names
    for row in component_types().values():
        # industry.md (a): no GB/T 51269 codes found for precast components — never guessed.
        assert row.gbt51269_code is None and row.gbt51269_verification == "U"


# -- the integer MOD 97-10 against python-stdnum, the reference ---------------------------------
@given(st.text(alphabet=ALPHABET + ALPHABET.lower(), min_size=1, max_size=40))
def test_check_digits_equal_stdnum_on_any_digits_and_letters(body):
    assert check_digits(body) == mod_97_10.calc_check_digits(body)


@given(parts_strategy, st.integers(0, 21), st.sampled_from(ALPHABET))
def test_check_digits_and_stdnum_agree_on_issued_and_mistyped_codes(parts, position, replacement):
    code = issue_code(parts)
    assert mod_97_10.is_valid(code)
    assert code[20:] == check_digits(code[:20]) == mod_97_10.calc_check_digits(code[:20])
    mistyped = code[:position] + replacement + code[position + 1:]
    assert (mistyped[20:] == check_digits(mistyped[:20])) == mod_97_10.is_valid(mistyped)
    assert check_digits(mistyped[:20]) == mod_97_10.calc_check_digits(mistyped[:20])


@pytest.mark.parametrize("body", ["", "10002301-F05", "１０００２３", "12 34", "1_000"])
def test_check_digits_refuse_anything_but_digits_and_letters(body):
    with pytest.raises(ValueError):
        check_digits(body)


def _outcome(fn, text):
    try:
        return fn(text)
    except ComponentCodeError as err:
        return type(err), str(err)


@given(parts_strategy, st.integers(0, 21), st.sampled_from(ALPHABET + "0-"), st.booleans())
def test_the_compact_fast_path_reads_codes_as_parse_code_does(parts, position, replacement, printed):
    code = issue_code(parts)
    text = parse_code(code).printed if printed else code
    for variant in (text, text[:position] + replacement + text[position + 1:], text.lower()):
        assert _outcome(compact_code, variant) == _outcome(lambda t: parse_code(t).compact, variant)


@pytest.mark.parametrize("text", ["00000001F05DHB00004293", "10002300F05DHB00004293", "10002301F00DHB00004293",
                                  "10002301F05DHB00000093", "10002301F05ZZZ00004293", "10002301F05DHB00004239"])
def test_the_compact_fast_path_refuses_what_parse_code_refuses(text):
    with pytest.raises(ComponentCodeError) as fast:
        compact_code(text)
    with pytest.raises(ComponentCodeError) as slow:
        parse_code(text)
    assert type(fast.value) is type(slow.value) and str(fast.value) == str(slow.value)

"""infer_space_function: the quick rejection of names no row matches changes no answer."""

from __future__ import annotations

import itertools

from zhijian.domain.bim.space_functions import (
    infer_space_function,
    pattern_matches,
    space_function_table,
)


def _reference(*names: str | None) -> object:
    """The table's definition, row by row and pattern by pattern."""
    texts = [n.lower() for n in names if n]
    for row in space_function_table():
        if any(pattern_matches(p, t) for p in row.patterns for t in texts):
            return row
    return None


def test_the_quick_rejection_agrees_with_the_table_row_by_row() -> None:
    patterns = [p for row in space_function_table() for p in row.patterns]
    names: list[str | None] = [*patterns, *(p.upper() for p in patterns), None, "", "0302-05", "B1-01", "Badminton", "Hallway"]
    names += [f"{a} {b}-01" for a, b in itertools.islice(itertools.product(patterns, repeat=2), 0, None, 97)]
    names += [f"x{p}y" for p in patterns]
    # word boundaries: underscores, digits, accented letters and CJK around a short pattern
    names += [f"{a}{p}{b}" for p in patterns for a, b in (("_", ""), ("", "_"), ("", "2"), ("é", ""), ("", "室"), ("-", "."))]
    for name in names:
        for other in (None, "0101-01", patterns[0]):
            assert infer_space_function(name, other) == _reference(name, other), (name, other)


def test_room_numbers_alone_match_nothing() -> None:
    assert infer_space_function("0302-05", "B100-01") is None
    assert infer_space_function("0302-05", "主卧") is not None

"""Infer what a space is for (卧室, 厨房, …) from its names; the table is data, not code."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class SpaceFunction:
    function: str  # e.g. "bedroom_master"
    category: str  # e.g. "bedroom"
    zh: str
    en: str
    patterns: tuple[str, ...]


@cache
def space_function_table() -> tuple[SpaceFunction, ...]:
    raw = json.loads(
        resources.files("zhijian.domain.bim").joinpath("data/space_functions.json").read_text("utf-8")
    )
    return tuple(
        SpaceFunction(
            function=row["function"],
            category=row["category"],
            zh=row["zh"],
            en=row["en"],
            patterns=tuple(p.lower() for p in row["patterns"]),
        )
        for row in raw["functions"]
    )


def pattern_matches(pattern: str, text: str) -> bool:
    """Whether a lower-case table pattern occurs in a lower-case name."""
    # Short Latin patterns ("wc", "bad", "hall") must match a whole word, or "Badminton"
    # and "Hallway" would be confused; CJK patterns match as substrings.
    if _whole_word(pattern):
        return any(word == pattern for word in _words(text))
    return pattern in text


def _whole_word(pattern: str) -> bool:
    return pattern.isascii() and len(pattern) <= 4


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text)
    return cleaned.split()


def infer_space_function(*names: str | None) -> SpaceFunction | None:
    """The first table row matching any of the names, most specific name first."""
    # pattern_matches, with each name split into words once instead of once per pattern
    # (indexing a tower matches thousands of room numbers against the whole table).
    lowered = [n.lower() for n in names if n]
    # Most names match no row at all (room numbers such as "0302-05"): one regex over every
    # pattern of the table rules them out before any name is split into words.
    quick = _any_pattern()
    if not any(quick.search(text) for text in lowered):
        return None
    texts = [(text, frozenset(_words(text))) for text in lowered]
    for row, whole_words, substrings in _split_patterns():
        for text, words in texts:
            if not whole_words.isdisjoint(words) or any(p in text for p in substrings):
                return row
    return None


@cache
def _split_patterns() -> tuple[tuple[SpaceFunction, frozenset[str], tuple[str, ...]], ...]:
    """Per table row: the patterns matched as whole words, and those matched as substrings."""
    return tuple(
        (
            row,
            frozenset(p for p in row.patterns if _whole_word(p)),
            tuple(p for p in row.patterns if not _whole_word(p)),
        )
        for row in space_function_table()
    )


@cache
def _any_pattern() -> re.Pattern[str]:
    """One regex that matches a lower-case name if and only if some row's pattern may match
    it: substring patterns anywhere, whole-word ones between non-alphanumerics (``[^\\W_]``
    is exactly ``str.isalnum``, which :func:`_words` splits on)."""
    rows = _split_patterns()
    words = sorted({p for _row, w, _s in rows for p in w}, key=len, reverse=True)
    substrings = sorted({p for _row, _w, subs in rows for p in subs}, key=len, reverse=True)
    alternatives = [re.escape(p) for p in substrings]
    if words:
        alternatives.append(r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + r")(?![^\W_])")
    return re.compile("|".join(alternatives) or r"(?!)")


def function_by_key(key: str) -> SpaceFunction | None:
    return next((row for row in space_function_table() if row.function == key), None)

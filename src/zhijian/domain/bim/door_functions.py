"""Infer which room a door serves (户门, 卧室门, 厨房门 …); the table is data, not code.

Door size provisions (GB 50096 table 5.8.7, GB 55038 4.1.14) depend on the room behind the
door. The spaces a door bounds say that best; the door's own names are the fallback. The
inference takes plain values (names and space functions), so it is testable without a model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from zhijian.domain.bim.space_functions import SpaceFunction, pattern_matches


@dataclass(frozen=True)
class DoorFunction:
    function: str  # e.g. "bedroom", "dwelling_entrance"
    zh: str
    en: str
    serves: tuple[str, ...]  # space categories behind such a door
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class DoorInference:
    door: DoorFunction
    basis: str  # "spaces" (two or more bounded spaces), "name", or "space" (one bounded space)

    def describe(self) -> tuple[str, str]:
        """(zh, en) saying what the door was taken for and why, for result messages."""
        zh, en = _BASIS[self.basis]
        return f"按{zh}判定为{self.door.zh}", f"taken for a {self.door.en} from {en}"


_BASIS = {
    "spaces": ("门两侧房间", "the rooms on both sides"),
    "name": ("门的名称", "the door's name"),
    "space": ("门所在房间", "the one room it bounds"),
}


@dataclass(frozen=True)
class _Table:
    rows: tuple[DoorFunction, ...]
    public_categories: frozenset[str]
    public_functions: frozenset[str]
    entrance_functions: frozenset[str]
    non_dwelling_categories: frozenset[str]


@cache
def _table() -> _Table:
    raw = json.loads(
        resources.files("zhijian.domain.bim").joinpath("data/door_functions.json").read_text("utf-8")
    )
    rows = tuple(
        DoorFunction(
            function=row["function"],
            zh=row["zh"],
            en=row["en"],
            serves=tuple(row["serves"]),
            patterns=tuple(p.lower() for p in row["patterns"]),
        )
        for row in raw["functions"]
    )
    return _Table(
        rows=rows,
        public_categories=frozenset(raw["public_space_categories"]),
        public_functions=frozenset(raw["public_space_functions"]),
        entrance_functions=frozenset(raw["entrance_space_functions"]),
        non_dwelling_categories=frozenset(raw["non_dwelling_categories"]),
    )


def door_function_table() -> tuple[DoorFunction, ...]:
    return _table().rows


def door_function_by_key(key: str) -> DoorFunction:
    for row in _table().rows:
        if row.function == key:
            return row
    raise KeyError(f"no door function {key!r} in door_functions.json")


def is_public_space(space: SpaceFunction) -> bool:
    """Common parts of a residential building (stairwell, lobby, public corridor)."""
    table = _table()
    return space.category in table.public_categories or space.function in table.public_functions


def _from_spaces(spaces: Sequence[SpaceFunction]) -> DoorFunction | None:
    public = [s for s in spaces if is_public_space(s)]
    private = [
        s for s in spaces if not is_public_space(s) and s.category not in _table().non_dwelling_categories
    ]
    if public and private:
        return door_function_by_key("dwelling_entrance")
    categories = {s.category for s in private}
    for row in _table().rows:
        if categories.intersection(row.serves):
            return row
    return None


def _from_names(names: Sequence[str | None]) -> DoorFunction | None:
    texts = [n.lower() for n in names if n]
    for row in _table().rows:
        if any(pattern_matches(p, text) for text in texts for p in row.patterns):
            return row
    return None


def _from_single_space(space: SpaceFunction) -> DoorFunction | None:
    # The other side is outside or not modelled: a door into an entrance hall alone is the
    # dwelling's entrance; a door into a room alone is that room's door; a public space
    # alone says nothing (building entrance or a dwelling's door to the landing).
    if space.function in _table().entrance_functions:
        return door_function_by_key("dwelling_entrance")
    if is_public_space(space):
        return None
    return next((row for row in _table().rows if space.category in row.serves), None)


def infer_door_function(
    names: Sequence[str | None], spaces: Sequence[SpaceFunction | None]
) -> DoorInference | None:
    """What a door serves, from the functions of the spaces it bounds, then its names.

    ``names`` are the door's Name, ObjectType and type name; ``spaces`` the functions of the
    spaces it bounds (None for a space of unknown function).
    """
    known = [s for s in spaces if s is not None]
    if len(known) >= 2:
        door = _from_spaces(known)
        if door is not None:
            return DoorInference(door, "spaces")
    door = _from_names(names)
    if door is not None:
        return DoorInference(door, "name")
    if len(known) == 1:
        door = _from_single_space(known[0])
        if door is not None:
            return DoorInference(door, "space")
    return None

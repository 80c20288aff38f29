"""JSON lines as the batch API reads them: each non-blank line exactly as ``json.loads`` reads
it (the fast path calls the decoder's scanner directly), a bad line refused in its place."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from zhijian.apps.prefab.ingest import EventRefusal, _json_lines

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
# Pieces that make a line unreadable, or readable only in part.
junk = st.sampled_from(["", "{", "}", "]", ",", " ", "\t", "\xa0", "\ufeff", '"', "x", "NaN", "1 2", "{}{}", "[1,"])


def reference(text: str) -> list[object]:
    out: list[object] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as err:
            out.append(("refused", err.msg, err.colno))
    return out


def read(text: str) -> list[object]:
    return [("refused", *_refusal_parts(i)) if isinstance(i, EventRefusal) else i for i in _json_lines(text)]


def _refusal_parts(refusal: EventRefusal) -> tuple[str, int]:
    # "line N is not JSON: MSG (column C)"
    message = refusal.message_en.split(": ", 1)[1]
    msg, column = message.rsplit(" (column ", 1)
    return msg, int(column.rstrip(")"))


@given(st.lists(st.tuples(junk, values, junk, st.booleans()), max_size=6))
def test_each_line_is_read_as_json_loads_reads_it(rows):
    lines = [(before + json.dumps(value) + after) if keep else (before + after) for before, value, after, keep in rows]
    text = "\n".join(lines)
    assert read(text) == reference(text)


def test_a_value_may_not_span_lines():
    items = _json_lines('{"a": [1,\n2]}\n{"b": 1}')
    assert isinstance(items[0], EventRefusal) and isinstance(items[1], EventRefusal)
    assert items[2] == {"b": 1}
    assert items[0].code == "malformed_json" and "line 1" in items[0].message_en

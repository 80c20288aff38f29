"""The calculation sheet's JSON writer: same data as ``json.dumps``, one element per line."""

from __future__ import annotations

import json

from zhijian.domain.prefab.sheet import dumps


def test_dumps_round_trips_and_puts_each_element_on_its_own_line() -> None:
    element = {"guid": "2O2Fr$t4X7Zf8NOew3FLOH", "name": "预制剪力墙 \"YWQ\"\n1", "quantity": 1.25, "evidence": ["a", "b"]}
    data = {
        "P": 63.0,
        "scores": {"Q1": 39.4, "Q2": 10.0},
        "items": [{"key": "q1a", "elements": [element, element], "unmeasured": [], "notes": []}],
        "empty": {},
        "none": None,
    }
    text = dumps(data)
    assert json.loads(text) == data
    lines = text.splitlines()
    assert sum(1 for line in lines if line.strip().startswith('{"guid"')) == 2
    assert '"name": "预制剪力墙 \\"YWQ\\"\\n1"' in text  # UTF-8 kept, control characters escaped
    assert lines[0] == "{" and lines[-1] == "}" and lines[1] == '  "P": 63.0,'

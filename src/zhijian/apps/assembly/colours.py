"""The 3D view of an evaluation: each credited element in its item's colour, with a legend.

Plain data in, plain data out (no Django), for the viewer's ``setColours(colours, legend)``:
``{"colours": {GlobalId: "#rrggbb"}, "legend": [{"colour", "label", "item", "counted"}]}``.
An element credited by several items (a non-masonry wall that is also integrated) takes
the colour of the first item in the scoring table's order; the legend counts the elements
drawn in each colour. Red and amber stay the viewer's colours for review findings.
"""

from __future__ import annotations

from typing import Any

# Item keys of GB/T 51129's table; items of other tables take the spare colours in order.
ITEM_COLOURS = {
    "vertical_members": "#1f6fd1",  # q1a blue
    "horizontal_members": "#2e9e44",  # q1b green
    "envelope_non_masonry": "#8e5cc9",  # q2a purple
    "envelope_integrated": "#8c5a3c",  # q2b brown
    "partition_non_masonry": "#13a8b8",  # q2c cyan
    "partition_integrated": "#d45fae",  # q2d pink
}
SPARE_COLOURS = ("#5b6abf", "#7a9a01", "#b5651d", "#4f8f8f")


def item_label(item: dict[str, Any], lang: str = "zh") -> str:
    name = item.get("en") if lang.startswith("en") else item.get("zh")
    symbol = item.get("symbol") or ""
    return f"{symbol} {name}" if symbol and symbol not in ("—", "-") else str(name or item.get("key"))


def colour_map(result: dict[str, Any] | None, lang: str = "zh") -> dict[str, Any]:
    """Credited elements → their item's colour, and the legend in the table's order."""
    colours: dict[str, str] = {}
    legend: list[dict[str, Any]] = []
    spare = iter(SPARE_COLOURS)
    for item in (result or {}).get("items", []):
        counted = [e["guid"] for e in item.get("elements", []) if e.get("counted") and e.get("guid")]
        if not counted:
            continue
        colour = ITEM_COLOURS.get(item.get("key", "")) or next(spare, "#666666")
        drawn = 0
        for guid in counted:
            if guid not in colours:
                colours[guid] = colour
                drawn += 1
        legend.append({"colour": colour, "label": item_label(item, lang), "item": item.get("key"), "counted": drawn})
    return {"colours": colours, "legend": legend}

"""The dashboard's labels in the active language (zh-Hans unless English is chosen): states,
districts, rating classes and series names, for the charts and the tables."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhijian.apps.accounts.choices import District
from zhijian.apps.review.choices import SubmissionState


def grade_labels() -> dict[str, str]:
    return {
        "not_recognised": _("Not recognised"), "recognised": _("Recognised, no grade"),
        "A": _("Grade A"), "AA": _("Grade AA"), "AAA": _("Grade AAA"), "unevaluated": _("Not evaluated"),
    }


def district_label(value: str) -> str:
    return str(dict(District.choices).get(value, _("No district"))) if value else _("No district")


def chart_labels() -> dict[str, Any]:
    return {
        "states": {value: str(label) for value, label in SubmissionState.choices},
        "districts": {value: str(label) for value, label in District.choices} | {"": _("No district")},
        "grades": grade_labels(),
        "series": {
            "count": _("Count"), "submitted": _("New submissions"), "approved": _("Approvals"),
            "failed": _("Violations"), "mandatory_failed": _("Mandatory violations"), "missing_data": _("Missing data"),
            "produced": _("Produced"), "shipped": _("Shipped"), "installed": _("Installed"),
            "submissions": _("Submissions"), "first_pass_rate": _("First-pass approval rate"),
        },
        "empty": _("No data for these filters."),
        "error": _("The charts could not be loaded."),
    }

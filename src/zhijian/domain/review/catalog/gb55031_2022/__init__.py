"""GB 55031-2022 《民用建筑通用规范》 General code for civil buildings.

A code of the 全文强制 kind (every clause mandatory), in force since 2023-03-01; it repealed
the mandatory force of the matching clauses of GB 50352-2019.
"""

from typing import Any

from zhijian.domain.review.packs import PackInfo
from zhijian.domain.review.rule import RuleMeta

STANDARD = "GB 55031-2022"
TITLE_ZH = "民用建筑通用规范"
TITLE_EN = "General code for civil buildings"

PACK = PackInfo(
    id="gb55031-2022",
    version="2022.1",
    title_zh=f"{TITLE_ZH} {STANDARD}",
    title_en=f"{TITLE_EN} {STANDARD}",
    standard=STANDARD,
)


def rule_meta(**fields: Any) -> RuleMeta:
    """Metadata shared by every rule of the pack; a rule gives the rest."""
    fields.setdefault("discipline", "architecture")
    fields.setdefault("version", "1")
    return RuleMeta(
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        mandatory=True,
        **fields,
    )

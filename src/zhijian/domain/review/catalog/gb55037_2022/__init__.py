"""GB 55037-2022 《建筑防火通用规范》 General code for fire protection of buildings.

A code of the 全文强制 kind (every clause mandatory), in force since 2023-06-01; it repealed
the mandatory force of GB 50016's 强制性条文.
"""

from typing import Any

from zhijian.domain.review.packs import PackInfo
from zhijian.domain.review.rule import RuleMeta

STANDARD = "GB 55037-2022"
TITLE_ZH = "建筑防火通用规范"
TITLE_EN = "General code for fire protection of buildings"

PACK = PackInfo(
    id="gb55037-2022",
    version="2022.1",
    title_zh=f"{TITLE_ZH} {STANDARD}",
    title_en=f"{TITLE_EN} {STANDARD}",
    standard=STANDARD,
)


def rule_meta(**fields: Any) -> RuleMeta:
    """Metadata shared by every rule of the pack; a rule gives the rest."""
    fields.setdefault("version", "1")
    return RuleMeta(
        standard=STANDARD,
        standard_title_zh=TITLE_ZH,
        standard_title_en=TITLE_EN,
        mandatory=True,
        discipline="fire",
        **fields,
    )

"""GB 55019-2021 《建筑与市政工程无障碍通用规范》 General code for accessibility of buildings
and municipal works.

A code of the 全文强制 kind (every clause mandatory), in force since 2022-04-01; it replaced
the mandatory clauses of GB 50763-2012. Barrier-free elements are those the model flags
HandicapAccessible (doors, spaces, stairs, ramps).
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for

STANDARD = "GB 55019-2021"
TITLE_ZH = "建筑与市政工程无障碍通用规范"
TITLE_EN = "General code for accessibility of buildings and municipal works"

PACK = PackInfo.of_standard("gb55019-2021", "2021.1", STANDARD, TITLE_ZH, TITLE_EN)

rule_meta = rule_meta_for(
    STANDARD,
    TITLE_ZH,
    TITLE_EN,
    mandatory=True,
    discipline="accessibility",
    building_uses=("residential", "public"),
)

"""GB 55031-2022 《民用建筑通用规范》 General code for civil buildings.

A code of the 全文强制 kind (every clause mandatory), in force since 2023-03-01; it repealed
the mandatory force of the matching clauses of GB 50352-2019.
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for

STANDARD = "GB 55031-2022"
TITLE_ZH = "民用建筑通用规范"
TITLE_EN = "General code for civil buildings"

PACK = PackInfo.of_standard("gb55031-2022", "2022.1", STANDARD, TITLE_ZH, TITLE_EN)

rule_meta = rule_meta_for(STANDARD, TITLE_ZH, TITLE_EN, mandatory=True, discipline="architecture")

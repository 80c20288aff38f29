"""GB 55037-2022 《建筑防火通用规范》 General code for fire protection of buildings.

A code of the 全文强制 kind (every clause mandatory), in force since 2023-06-01; it repealed
the mandatory force of GB 50016's 强制性条文.
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for

STANDARD = "GB 55037-2022"
TITLE_ZH = "建筑防火通用规范"
TITLE_EN = "General code for fire protection of buildings"

PACK = PackInfo.of_standard("gb55037-2022", "2022.1", STANDARD, TITLE_ZH, TITLE_EN)

rule_meta = rule_meta_for(STANDARD, TITLE_ZH, TITLE_EN, mandatory=True, discipline="fire")

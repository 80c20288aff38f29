"""GB 50096-2011 《住宅设计规范》 Design code for residential buildings.

Its mandatory clauses (强制性条文) were repealed by GB 55038-2025 《住宅项目规范》 on
2025-05-01 (second-hand: the repeal list was read in a secondary source); the provisions
remain design guidance, so no rule here is mandatory. Rules on formerly mandatory clauses
carry ``StandardStatus.MANDATORY_REPEALED`` and the note below.
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for

STANDARD = "GB 50096-2011"
TITLE_ZH = "住宅设计规范"
TITLE_EN = "Design code for residential buildings"

PACK = PackInfo.of_standard("gb50096-2011", "2011.2", STANDARD, TITLE_ZH, TITLE_EN)

rule_meta = rule_meta_for(STANDARD, TITLE_ZH, TITLE_EN, mandatory=False, discipline="architecture")

REPEALED_ZH = (
    "本条原为强制性条文，据二手资料已随 GB 55038-2025《住宅项目规范》实施（2025-05-01）废止；"
    "数值仍可作设计依据，2025-05-01 以后的新建住宅以 GB 55038-2025 为准。"
)
REPEALED_EN = (
    "Formerly a mandatory clause, repealed (per a secondary source) when GB 55038-2025 came "
    "into force on 2025-05-01; the values remain design guidance, and new dwellings follow "
    "GB 55038-2025."
)

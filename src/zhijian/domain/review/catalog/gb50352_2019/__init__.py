"""GB 50352-2019 《民用建筑设计统一标准》 Uniform standard for design of civil buildings.

Only provisions whose values were seen second-hand are here, so every result is advisory;
they are 宜 (recommended) provisions as well. GB 55031-2022 repealed the mandatory force of
this standard's 强制性条文.
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for
from zhijian.domain.review.rule import Verification

STANDARD = "GB 50352-2019"
TITLE_ZH = "民用建筑设计统一标准"
TITLE_EN = "Uniform standard for design of civil buildings"

PACK = PackInfo.of_standard("gb50352-2019", "2019.1", STANDARD, TITLE_ZH, TITLE_EN)

rule_meta = rule_meta_for(
    STANDARD,
    TITLE_ZH,
    TITLE_EN,
    mandatory=False,
    discipline="architecture",
    building_uses=("residential", "public"),
    verification=Verification.SECOND_HAND,
    recommended=True,
)

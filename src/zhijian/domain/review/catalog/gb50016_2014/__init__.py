"""GB 50016-2014 (2018 edition) 《建筑设计防火规范》 Code for fire protection design of buildings.

GB 55037-2022 《建筑防火通用规范》 repealed the mandatory force of its 强制性条文 on
2023-06-01; the provisions remain design guidance, so no rule here is mandatory.
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for
from zhijian.domain.review.rule import StandardStatus

STANDARD = "GB 50016-2014(2018)"
TITLE_ZH = "建筑设计防火规范"
TITLE_EN = "Code for fire protection design of buildings"

PACK = PackInfo(
    id="gb50016-2014",
    version="2018.1",
    title_zh=f"{TITLE_ZH} GB 50016-2014（2018年版）",
    title_en=f"{TITLE_EN} GB 50016-2014 (2018 edition)",
    standard=STANDARD,
)

STATUS_NOTE_ZH = "强制性条文的强制效力已由 GB 55037-2022 废止，条文仍可作设计依据"
STATUS_NOTE_EN = "mandatory force repealed by GB 55037-2022; the provision remains design guidance"

rule_meta = rule_meta_for(
    STANDARD,
    TITLE_ZH,
    TITLE_EN,
    mandatory=False,
    discipline="fire",
    standard_status=StandardStatus.MANDATORY_REPEALED,
    status_note_zh=STATUS_NOTE_ZH,
    status_note_en=STATUS_NOTE_EN,
)

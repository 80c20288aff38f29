"""GB 50096-2011 《住宅设计规范》 Design code for residential buildings.

Its mandatory clauses (强制性条文) were repealed by GB 55038-2025 《住宅项目规范》 on
2025-05-01; the provisions remain design guidance, so no rule here is mandatory.
"""

from zhijian.domain.review.packs import PackInfo

PACK = PackInfo(
    id="gb50096-2011",
    version="2011.1",
    title_zh="住宅设计规范 GB 50096-2011",
    title_en="Design code for residential buildings GB 50096-2011",
    standard="GB 50096-2011",
)

STANDARD = "GB 50096-2011"
TITLE_ZH = "住宅设计规范"
TITLE_EN = "Design code for residential buildings"

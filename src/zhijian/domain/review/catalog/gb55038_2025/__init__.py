"""GB 55038-2025 《住宅项目规范》 Project code for residential buildings.

A 全文强制 code (every clause mandatory), in force from 2025-05-01; it repealed GB 50368-2005
and the mandatory clauses of GB 50096-2011. Clause values were checked against a transcription
of the official text (reference/code-rules.md §2.5); rows seen only second-hand are advisory.
Several clauses (storey height, slab thickness) apply to new dwellings only: the check
context's ``new_build`` decides.
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for

PACK = PackInfo(
    id="gb55038-2025",
    version="2025.1",
    title_zh="住宅项目规范 GB 55038-2025",
    title_en="Project code for residential buildings GB 55038-2025",
    standard="GB 55038-2025",
)

STANDARD = "GB 55038-2025"
TITLE_ZH = "住宅项目规范"
TITLE_EN = "Project code for residential buildings"

rule_meta = rule_meta_for(STANDARD, TITLE_ZH, TITLE_EN, mandatory=True, discipline="architecture")

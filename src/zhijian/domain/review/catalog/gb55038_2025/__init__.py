"""GB 55038-2025 《住宅项目规范》 Project code for residential buildings.

A 全文强制 code (every clause mandatory), in force from 2025-05-01; it repealed GB 50368-2005
and the mandatory clauses of GB 50096-2011. Clause values were checked against a transcription
of the official text (reference/code-rules.md §2.5); rows seen only second-hand are advisory.
Several clauses (storey height, slab thickness) apply to new dwellings only: the check
context's ``new_build`` decides.
"""

from zhijian.domain.review.packs import PackInfo, rule_meta_for

STANDARD = "GB 55038-2025"
TITLE_ZH = "住宅项目规范"
TITLE_EN = "Project code for residential buildings"

PACK = PackInfo.of_standard("gb55038-2025", "2025.1", STANDARD, TITLE_ZH, TITLE_EN)

rule_meta = rule_meta_for(STANDARD, TITLE_ZH, TITLE_EN, mandatory=True, discipline="architecture")

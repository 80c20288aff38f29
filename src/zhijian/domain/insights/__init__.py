"""City statistics for the housing authority (住建局): review and precast indicators.

Pure functions over counts the platform's database has already aggregated (histograms, group
counts): no Django, no rows. The indicators follow the national review statistics
(review-workflow.md §5: 一次审查合格率, 违反强条数 per 100 projects, rounds, time) and the
precast traceability chain (industry.md (b)).
"""

"""Assembly-rate evaluations (装配率评价, GB/T 51129): design-stage pre-evaluations and as-built rates.

The calculation is the pure domain's (``zhijian.domain.prefab``); this app stores each
evaluation of a building × model version × stage with its canonical result, runs it in a
worker, shows the calculation sheet and the counted elements in 3D, and gives the housing
authority the city's list of buildings with P and grade.
"""

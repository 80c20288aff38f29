"""The pure domain core: IFC index, review, reports, assembly rate, components, lifecycle.

Nothing here imports Django or Celery (an import-linter contract keeps it so).
"""

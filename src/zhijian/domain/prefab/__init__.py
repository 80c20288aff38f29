"""Prefabrication: assembly rate (GB/T 51129) and precast component traceability.

Traceability modules: ``coding`` (the city-wide component code), ``component_registry``
(codes kept stable across model revisions), ``lifecycle`` (the event state machine),
``quality_facts`` (QC checks, factory quality and delivery facts), ``labels`` (QR and label
sheets). Tables live in ``data/`` as JSON, not in code.
"""

"""Prefabrication: assembly rate (GB/T 51129) and precast component traceability.

Traceability modules: ``coding`` (the city-wide component code), ``component_registry``
(codes kept stable across model revisions), ``lifecycle`` (the event state machine),
``quality_facts`` (QC checks, factory quality and delivery facts), ``labels`` (QR and label
sheets). Assembly-rate modules: ``scoring_table`` (表 4.0.1 as versioned data), ``classify``,
``precast``, ``quantities``, ``collect``, ``declaration``, ``assembly_rate``, ``result``,
``sheet`` (the 评价表). Tables live in ``data/`` as JSON, not in code.
"""

"""Precast components: registry and codes, labels, production orders, lifecycle events, shipments."""

"""Audit: the append-only log of every change (who, when, what, before/after, why)."""

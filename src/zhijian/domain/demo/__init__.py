"""The demo building and demo data."""

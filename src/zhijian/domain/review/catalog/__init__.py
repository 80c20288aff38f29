"""The rule catalogue: one package per standard edition, one module per rule."""

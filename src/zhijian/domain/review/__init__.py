"""Rule-based review: rule metadata, the engine, rule packs and the canonical JSON report."""

"""Processing provider and algorithms (one engine, Processing front)."""

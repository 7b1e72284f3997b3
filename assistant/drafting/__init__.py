"""Stage 6 — drafting (docstring completed when the stage moves)."""

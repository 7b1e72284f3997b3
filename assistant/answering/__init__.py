"""Stage 5 — answering (placeholder docstring, completed when the stage moves)."""

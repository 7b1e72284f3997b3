"""Explicit restrictions a user puts on a search: documents, region, year, genre."""

from __future__ import annotations

from dataclasses import dataclass

from ..text.normalize import to_simplified


@dataclass
class Filters:
    """Explicit restrictions from the user; empty fields restrict nothing."""

    docs: list[str] | None = None
    region: str = ""
    year: int | None = None
    genre: str = ""

    def allows(self, meta) -> bool:
        if self.docs and meta.filename not in self.docs:
            return False
        if self.region:
            wanted = to_simplified(self.region)
            if not any(wanted in p or p in wanted for p in [meta.region, *meta.places] if p):
                return False
        if self.year and self.year not in meta.years:
            return False
        if self.genre and to_simplified(self.genre) not in meta.genre and meta.genre not in to_simplified(self.genre):
            return False
        return True

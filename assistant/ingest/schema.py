"""The records ingestion makes: a loaded file, its metadata, and the chunks the index holds."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class RawDocument:
    """A file as loaded: its text exactly as the reader will see it quoted."""

    path: str
    filename: str
    text: str
    encoding: str
    sha256: str


@dataclass
class DocMeta:
    title: str
    region: str = ""
    places: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    genre: str = ""
    filename: str = ""
    sha256: str = ""
    byline: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Chunk:
    chunk_id: str
    doc: str  # file name, the document's identity in the index
    section: list[str]  # heading path, in the document's own wording
    start: int  # character span in the original text
    end: int
    text: str  # original[start:end], for display and quotation
    search_text: str  # cleaned, simplified text used for search

    def to_dict(self) -> dict:
        return asdict(self)

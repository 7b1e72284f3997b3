"""Who may fetch a file the page serves. Drafts and evaluation results are written into a folder named for their
owner; Gradio serves them from copies in its staging area, named by their content. So a served file belongs to:
the owner its folder names, the user who uploaded it (`staging`), or the users a handler returned it to (by its
content's hash). Admins may fetch every file; nobody else gets one of another user's, or an unknown file of the
staging area."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .staging import Staging

LOCAL = "local"  # the owner when the page runs without login


def owner_id(user: str | None) -> str:
    """The folder name of a user's drafts and results: not the name itself, which may not be a safe path."""
    return hashlib.sha256((user or LOCAL).encode("utf-8")).hexdigest()[:16]


def _digest(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


@dataclass
class FileAccess:
    owned_roots: list[Path]  # drafts and results: <root>/<owner_id>/…
    staging: Staging
    _outputs: dict[str, set[str]] = field(default_factory=dict)  # content hash → users it was returned to
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def returned(self, user: str | None, paths: Iterable[str | Path]) -> None:
        """A handler hands these files to `user`: Gradio will serve copies of them."""
        for p in paths:
            digest = _digest(Path(p))
            if digest:
                with self._lock:
                    self._outputs.setdefault(digest, set()).add(user or LOCAL)

    def allowed(self, user: str | None, admin: bool, path: str) -> bool:
        if admin:
            return True
        real = Path(os.path.realpath(path))
        me = user or LOCAL
        for root in self.owned_roots:
            base = Path(os.path.realpath(root))
            if real.is_relative_to(base):
                rel = real.relative_to(base).parts
                return bool(rel) and rel[0] == owner_id(user)
        if self.staging.contains(real):
            uploaders = self.staging.owners(real)
            if uploaders:
                return me in uploaders
            digest = _digest(real) if real.is_file() else None
            with self._lock:
                return digest is not None and me in self._outputs.get(digest, set())
        return True  # Gradio's own files (static assets); its own checks apply

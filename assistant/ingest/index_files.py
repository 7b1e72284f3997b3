"""What the loaded index version's files were when they were read: a running server holds the index in memory,
so a file truncated or overwritten under it changes no answer, but is found here and reported (the next build
replaces the version)."""

from __future__ import annotations

import os
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]  # file name → (size, mtime in ns)


def snapshot(version: Path) -> Snapshot:
    found: Snapshot = {}
    for entry in os.scandir(version):
        if entry.is_file(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            found[entry.name] = (st.st_size, st.st_mtime_ns)
    return found


def altered(version: Path, before: Snapshot) -> list[str]:
    """The files of `version` that are gone or no longer as they were read."""
    try:
        now = snapshot(version)
    except OSError:
        return sorted(before)
    return sorted(name for name, stat in before.items() if now.get(name) != stat)

"""The upload staging area: Gradio writes every upload there before a handler reads it. Each user holds a bounded
share of it, counted per user; staff together hold at most the whole area's size, and an admin's library uploads
count only against the admin's own share, so a full area never blocks them. What a handler has read, or refused,
is removed at once; what nobody reads is removed after `upload_max_age_minutes`. The folder is this server's own
and is emptied at start: an upload from before a restart can no longer be in use."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

MB = 1024 * 1024


@dataclass
class Staged:
    owners: set[str]  # Gradio names an upload by its content: two users uploading one file share its path
    declared: int  # bytes the request said it carried, counted until Gradio has moved the file into place
    at: float


@dataclass
class Staging:
    folder: Path
    user_bytes: int
    total_bytes: int
    max_age: float
    clock: Callable[[], float] = time.time
    _files: dict[str, Staged] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for entry in self.folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def _key(self, path: str | Path) -> str:
        return os.path.realpath(path)

    def contains(self, path: str | Path) -> bool:
        real = Path(self._key(path))
        return real.is_relative_to(Path(os.path.realpath(self.folder)))

    def usage(self, owner: str) -> int:
        with self._lock:
            return sum(self._size(k, s) for k, s in self._files.items() if owner in s.owners)

    def _size(self, key: str, staged: Staged) -> int:
        try:
            return max(os.stat(key).st_size, 0)
        except OSError:
            return staged.declared

    def total(self) -> int:
        """What all users' uploads hold now (the copies of drafts and reports Gradio serves from the same folder
        are not uploads, and are not counted)."""
        with self._lock:
            return sum(self._size(k, s) for k, s in self._files.items())

    def record(self, owner: str, paths: Iterable[str], declared: int) -> None:
        paths = [p for p in paths if self.contains(p)]
        with self._lock:
            for p in paths:
                staged = self._files.setdefault(self._key(p), Staged(set(), declared // max(len(paths), 1), 0.0))
                staged.owners.add(owner)
                staged.at = self.clock()

    def may_use(self, path: str | Path, user: str, admin: bool) -> bool:
        """Whether a handler may read this upload for `user`: one they uploaded (admins: any), or a file that is
        not in the staging area at all (a question set of eval/)."""
        return admin or not self.contains(path) or user in self.owners(path)

    def owners(self, path: str | Path) -> set[str]:
        with self._lock:
            staged = self._files.get(self._key(path))
        return set(staged.owners) if staged else set()

    def release(self, paths: Iterable[str | Path], owner: str | None = None) -> None:
        """Removes staged files a handler has read or refused for `owner` (None: for everyone), with their
        now empty folders; a file another user's upload also holds stays until that user is done with it."""
        for p in paths:
            if not p or not self.contains(p):
                continue
            key = self._key(p)
            with self._lock:
                staged = self._files.get(key)
                if owner is not None:
                    # Only what `owner` uploaded: a path named by anyone else (another user's upload, a copy of
                    # a draft Gradio serves) is left alone.
                    if staged is None or owner not in staged.owners:
                        continue
                    staged.owners.discard(owner)
                    if staged.owners:
                        continue
                self._files.pop(key, None)
            Path(key).unlink(missing_ok=True)
            try:
                Path(key).parent.rmdir()  # Gradio puts each upload in a folder of its own
            except OSError:
                pass

    def expire(self) -> None:
        """Removes uploads nobody has read within `max_age` (Gradio's own clean-up removes the rest after a
        day)."""
        cutoff = self.clock() - self.max_age
        with self._lock:
            old = [k for k, s in self._files.items() if s.at < cutoff]
        self.release(old)
        # Gradio keeps uploads and the copies it serves in folders of their own; files at the top are temporary
        # files it left behind (one per library upload).
        for entry in self.folder.iterdir() if self.folder.is_dir() else ():
            try:
                if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime < cutoff:
                    entry.unlink(missing_ok=True)
            except OSError:
                pass

    def refusal(self, owner: str, admin: bool, incoming: int) -> str | None:
        """Why an upload of `incoming` bytes by `owner` is refused now, in Chinese; None when it may go ahead."""
        self.expire()
        share = self.total_bytes if admin else self.user_bytes
        if self.usage(owner) + incoming > share:
            return (f"您已上传、尚未处理的文件超过上限（{share / MB:g} MB）。请先处理或移除已选的文件，"
                    "或稍后再试。")
        if not admin and self.total() + incoming > self.total_bytes:
            return f"服务器的上传暂存空间已满（上限 {self.total_bytes / MB:g} MB），请稍后再试，或请管理员清理。"
        return None

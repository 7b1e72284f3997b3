"""Evaluation runs from the page take turns, one question at a time: with several users' runs going, each gets
every n-th question, so a 14-question run waits for a few questions of a 1000-question one, not for all of
them. A user has one run at a time; a second is refused with a message, not queued behind the first."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class AlreadyRunning(RuntimeError):
    """The message is for the user, in Chinese."""


class FairShare:
    def __init__(self):
        self._cond = threading.Condition()
        self._order: deque[str] = deque()  # the run whose turn it is first

    @contextmanager
    def run(self, user: str) -> Iterator["Turns"]:
        with self._cond:
            if user in self._order:
                raise AlreadyRunning("您已有一个评测正在运行，请等它完成后再开始新的评测。")
            self._order.append(user)
        try:
            turns = Turns(self, user)
            turns.wait()
            yield turns
        finally:
            with self._cond:
                self._order.remove(user)
                self._cond.notify_all()

    def running(self) -> int:
        with self._cond:
            return len(self._order)

    def _wait(self, user: str) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._order and self._order[0] == user)

    def _pass(self, user: str) -> None:
        with self._cond:
            if self._order and self._order[0] == user:
                self._order.rotate(-1)
                self._cond.notify_all()


class Turns:
    """A run's side: it holds the turn while it answers a question, and `next()` hands the turn on and waits for
    it to come back."""

    def __init__(self, share: FairShare, user: str):
        self.share, self.user = share, user

    def wait(self) -> None:
        self.share._wait(self.user)

    def next(self) -> None:
        self.share._pass(self.user)
        self.share._wait(self.user)

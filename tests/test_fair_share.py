"""Evaluation runs from the page take turns question by question, and a user has one run at a time."""

import threading
import time

import pytest

from assistant.web.fair_share import AlreadyRunning, FairShare


def test_a_short_run_is_not_queued_behind_a_long_one():
    share = FairShare()
    order = []
    long_started = threading.Event()

    def run(user, n, started=None):
        with share.run(user) as turns:
            if started:
                started.set()
            for i in range(n):
                time.sleep(0.005)  # a question being answered
                order.append(user)
                turns.next()

    long = threading.Thread(target=run, args=("li", 200, long_started))
    long.start()
    long_started.wait()
    time.sleep(0.02)
    short = threading.Thread(target=run, args=("wang", 5))
    short.start()
    short.join(timeout=30)
    long.join(timeout=60)
    last_short = max(i for i, u in enumerate(order) if u == "wang")
    assert order.count("wang") == 5 and order.count("li") == 200
    assert last_short < 30  # alternating: done after about 10 of the long run's questions, not after 200


def test_a_second_run_of_the_same_user_is_refused():
    share = FairShare()
    with share.run("li"):
        with pytest.raises(AlreadyRunning, match="已有一个评测正在运行"):
            with share.run("li"):
                pass
    with share.run("li"):  # and li again, once the first run ended
        pass

"""The garbage collector paused around a page's work comes back on, whichever thread ends
last; left off, a long-running app would keep every reference cycle it ever made."""

from __future__ import annotations

import gc
import threading

from workbench.services.collector import collector_paused


def test_overlapping_pauses_on_two_threads_turn_the_collector_back_on_at_the_last_end():
    assert gc.isenabled()
    first_in, second_in, first_may_end = (threading.Event() for _ in range(3))
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
            first_may_end.wait(5)
        seen.append(gc.isenabled())  # the second still pauses it

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector_paused():
        second_in.set()
        assert not gc.isenabled()
        first_may_end.set()
        thread.join(5)
        assert not gc.isenabled()
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off_and_an_error_still_ends_the_pause():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        with collector_paused():
            raise ValueError("a bad page")
    except ValueError:
        pass
    assert gc.isenabled()

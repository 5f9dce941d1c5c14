"""Python's cyclic garbage collector paused around work that makes many objects that all stay
alive for a while: a page of JSON parsed, a page's rows built and written.

Each collection walks every object it tracks that is younger than its generation, and the
objects of such work survive every one of them, so they are walked again and again for
nothing: parsing a portal page with the collector on took four times as long as with it
paused. Reference counting still frees what is not part of a cycle at once; cycles made
while paused wait for the next collection after the last pause ends. Pauses nest across
threads: the collector runs again when no thread is pausing it, and only if it ran before."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pausing = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pausing, _was_enabled
    with _lock:
        if _pausing == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _lock:
            _pausing -= 1
            if _pausing == 0 and _was_enabled:
                gc.enable()

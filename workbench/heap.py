"""The C heap of a Workbench process: fewer malloc arenas on glibc.

A pull parses pages on several threads; glibc gives each thread an arena of its own, and
large JSON bodies parsed there leave those arenas fragmented, so the process kept growing
with the size of the pull although Python's own objects did not (see benchmarks/
bench_memory.py: 50,000 e-consults). The interpreter lock lets one thread allocate at a time
anyway, so two arenas cost no speed."""

from __future__ import annotations

import os
import sys

ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's arenas for this process, before its threads start; True when applied.
    Not on other C libraries or systems, and not when MALLOC_ARENA_MAX says otherwise."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # musl and the like: no such library or function
        return False

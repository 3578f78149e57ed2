"""Process memory of the long-running server.

The web server answers from a pool of threads, and glibc's malloc gives threads that allocate at the
same time arenas of their own (up to eight per core), each keeping freed memory it cannot hand back:
the resident size then creeps up for hours. Capping the arenas trades a little allocation contention,
negligible next to a search, for a resident size that levels off.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # the mallopt parameter number glibc's <malloc.h> gives the arena cap (an ABI value)


def limit_malloc_arenas(arenas: int) -> bool:
    """Cap glibc's malloc arenas for threads started from now on; whether it was done (0 asks for
    nothing; a C library without glibc's mallopt is left alone)."""
    if arenas <= 0:
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return mallopt(M_ARENA_MAX, arenas) == 1

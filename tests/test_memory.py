"""Process memory settings (coopbot.memory)."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap

import pytest

from coopbot.config import Settings
from coopbot.memory import limit_malloc_arenas


def test_zero_arenas_asks_for_nothing():
    assert limit_malloc_arenas(0) is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the arena cap is glibc's")
def test_threads_share_the_capped_arenas(repo_root):
    """Eight threads allocating at once: with the cap, glibc reports no more arenas than allowed."""
    script = textwrap.dedent(f"""
        import ctypes, threading
        from coopbot.memory import limit_malloc_arenas
        assert limit_malloc_arenas({Settings.malloc_arena_max})
        barrier = threading.Barrier(8)
        def work():
            barrier.wait()
            blocks = [bytearray(4096) for _ in range(2000)]
            barrier.wait()
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        libc = ctypes.CDLL("libc.so.6")
        stream = libc.open_memstream
        size = ctypes.c_size_t()
        buffer = ctypes.c_char_p()
        stream.restype = ctypes.c_void_p
        handle = stream(ctypes.byref(buffer), ctypes.byref(size))
        libc.malloc_info(0, ctypes.c_void_p(handle))
        libc.fclose(ctypes.c_void_p(handle))
        print(buffer.value.decode().count("<heap nr="))
    """)
    env = {"PYTHONPATH": str(repo_root / "src")}
    arenas = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert 1 <= int(arenas.stdout) <= Settings.malloc_arena_max

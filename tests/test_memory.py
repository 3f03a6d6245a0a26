"""The build hands memory back before Pagefind runs beside it (render/search.py)."""

from __future__ import annotations

import ctypes

import pytest

from patientsite.errors import BuildError
from patientsite.render import search


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "malloc_trim"), reason="glibc's malloc_trim only")
def test_memory_freed_in_the_middle_of_the_heap_goes_back_before_pagefind(monkeypatch):
    texts = [bytes([n % 256]) * 2000 for n in range(20_000)]      # 40 MB in the C heap (over pymalloc's 512 B)
    del texts[:-1]            # all freed but the last, which keeps the heap's top from shrinking by itself
    before = resident_mb()
    search.release_freed_memory()
    assert before - resident_mb() > 20
    called = []
    monkeypatch.setattr(search, "release_freed_memory", lambda: called.append("released"))
    monkeypatch.setattr(search, "_run", lambda command, stop: called.append("pagefind") or (1, "", "failed"))
    with pytest.raises(BuildError, match="could not index"):
        search._run_pagefind(search.Path("/nowhere"), search.Path("/nowhere/index"))
    assert called == ["released", "pagefind"]

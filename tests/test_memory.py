"""The build hands memory back before Pagefind runs beside it (render/search.py)."""

from __future__ import annotations

import ctypes
from types import SimpleNamespace

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


def test_each_languages_search_index_is_given_before_the_next_is_made(monkeypatch):
    """The parent holds no language's index (7 MB at 1,000 pages) while Pagefind indexes the next."""
    made = []

    def index_language(site, files, code, cache, stop):
        made.append(code)
        return [("pagefind/pagefind-entry.json", b'{"version":"1","languages":{"%s":{}}}' % code.encode()),
                ("pagefind/pagefind.js", b"js"), (f"pagefind/index/{code}_1.pf_index", code.encode())]

    monkeypatch.setattr(search, "_index_language", index_language)
    site = SimpleNamespace(config=SimpleNamespace(languages=[SimpleNamespace(code=c) for c in ("it", "en", "ru")]))
    given = iter(search.index_site(site, {}))      # type: ignore[arg-type]
    assert [next(given), next(given)] == [("pagefind/pagefind.js", b"js"), ("pagefind/index/it_1.pf_index", b"it")]
    assert made == ["it"]
    assert list(given) == [("pagefind/index/en_1.pf_index", b"en"), ("pagefind/index/ru_1.pf_index", b"ru"),
                           ("pagefind/pagefind-entry.json", b'{"languages":{"en":{},"it":{},"ru":{}},"version":"1"}')]
    assert made == ["it", "en", "ru"]

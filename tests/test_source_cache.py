"""The pages as load parsed them, kept in .cache/sources by each file's bytes (load/sourcecache.py).

A warm build parses no unchanged page again and builds the same bytes as a build without the cache; an
edited page is read again; any damage to the cache file (emptied, truncated, bytes flipped, appended
to, another version's file, a link to a forged file, a folder, a fifo, a well-formed file holding
entries of the wrong shape) only makes the pages read again; a page with a problem is never cached, and
the problems of cached pages (a fact they call made unusable) are reported at path:line as without it."""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from siteassertions import tree_bytes
from sitefiles import make_site

from patientsite.errors import BuildError
from patientsite.load import content
from patientsite.load.shortcodes import read_calls
from patientsite.load.sourcecache import MAGIC, SOURCES_FILE
from patientsite.pipeline import build
from patientsite.render.cache import generator_digest

EXAMPLES = settings(max_examples=6, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PAGES = 9
EDITED = "content/en/treatment.md"


class Project:
    """The small site, its reference output (a build without the cache) and the cache file it left."""

    def __init__(self, tmp: Path, monkeypatch):
        self.tmp, self.root = tmp, make_site(tmp / "p")
        self.parsed: list[str] = []
        original = content.read_page

        def counted(rel, *args, **kwargs):
            self.parsed.append(rel)
            return original(rel, *args, **kwargs)

        monkeypatch.setattr(content, "read_page", counted)
        self.expected = self.build("reference", use_cache=False)
        assert len(self.parsed) == PAGES
        self.whole = self.cache.read_bytes()

    @property
    def cache(self) -> Path:
        return self.root / SOURCES_FILE

    def build(self, name: str = "site", **options) -> dict:
        self.parsed.clear()
        out = self.tmp / name
        shutil.rmtree(out, ignore_errors=True)
        self.result = build(self.root, out, jobs=1, **options)
        return tree_bytes(out)

    def reset(self) -> None:
        if self.cache.is_dir() and not self.cache.is_symlink():
            shutil.rmtree(self.cache)
        else:
            self.cache.unlink(missing_ok=True)
        self.cache.write_bytes(self.whole)


@pytest.fixture
def project(tmp_path, monkeypatch):
    generator_digest.cache_clear()
    yield Project(tmp_path, monkeypatch)
    generator_digest.cache_clear()


def test_a_warm_build_parses_no_page_and_builds_the_same_bytes(project):
    assert project.build() == project.expected
    assert project.parsed == []
    # the pages as load made them, to the last field the comparison leaves out
    warm = project.result.state.loaded.pages
    project.build("again", use_cache=False)
    cold = project.result.state.loaded.pages
    assert warm == cold
    for before, after in zip(cold, warm, strict=True):
        assert after.unit == before.unit and after.unit.lines == before.unit.lines
        assert after.calls == read_calls(before.body)[0] and before.calls is None
        assert after.foreign == (None,)


def test_the_entries_are_the_pages_of_the_files_bytes(project):
    header, _, payload = project.whole.partition(b"\n")
    assert header == MAGIC + hashlib.sha256(payload).hexdigest().encode()
    version, entries = marshal.loads(payload)
    assert version == generator_digest()
    assert sorted(entries) == sorted(str(p.relative_to(project.root)) for p in project.root.glob("content/*/*.md"))
    for rel, (sha, _) in entries.items():
        assert sha == hashlib.sha256((project.root / rel).read_bytes()).hexdigest()


def test_no_cache_reads_every_page(project):
    project.build(use_cache=False)
    assert len(project.parsed) == PAGES


@given(marker=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=12))
@EXAMPLES
def test_an_edited_page_is_read_again_and_its_text_reaches_the_page(project, marker):
    path = project.root / EDITED
    original = path.read_text("utf-8")
    try:
        path.write_text(original.replace("## Details", f"## Details {marker}"), "utf-8")
        files = project.build()
        assert project.parsed == [EDITED]
        assert f"Details {marker}".encode() in files["en/the-treatment/index.html"]
        assert files == project.build("cold", use_cache=False)
        project.build()
        assert project.parsed == []          # kept once read again
    finally:
        path.write_text(original, "utf-8")
        project.reset()


# -- damage to the cache file ----------------------------------------------------------------------
def _framed(payload: bytes) -> bytes:
    return MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def empty(project, data):
    project.cache.write_bytes(b"")


def truncate(project, data):
    project.cache.write_bytes(project.whole[: data.draw(st.integers(0, len(project.whole) - 1))])


def flip(project, data):
    entry = bytearray(project.whole)
    for index in data.draw(st.lists(st.integers(0, len(entry) - 1), min_size=1, max_size=6, unique=True)):
        entry[index] ^= data.draw(st.integers(1, 255))
    project.cache.write_bytes(bytes(entry))


def append(project, data):
    project.cache.write_bytes(project.whole + data.draw(st.binary(min_size=1, max_size=40)))


def header_only(project, data):
    project.cache.write_bytes(project.whole.partition(b"\n")[0] + b"\n")


def other_version(project, data):
    _, entries = marshal.loads(project.whole.partition(b"\n")[2])
    project.cache.write_bytes(_framed(marshal.dumps((data.draw(st.text(max_size=64)), entries))))


def not_marshal(project, data):
    project.cache.write_bytes(_framed(data.draw(st.binary(max_size=80))))


def wrong_shape(project, data):
    """A well-formed file whose entries are not pages: each of them is read again."""
    version, entries = marshal.loads(project.whole.partition(b"\n")[2])
    shapes = [None, 7, "text", (), (entries[EDITED][0],), (entries[EDITED][0], ()),
              (entries[EDITED][0], entries[EDITED][1][:-1]),
              (entries[EDITED][0], tuple(7 for _ in entries[EDITED][1])),
              (entries[EDITED][0], entries[EDITED][1][:6] + ("not a date",) + entries[EDITED][1][7:])]
    wrong = {rel: data.draw(st.sampled_from(shapes)) for rel in entries}
    project.cache.write_bytes(_framed(marshal.dumps((version, wrong))))


def forged_link(project, data):
    # even a well-formed file of this version is refused through a link
    _, entries = marshal.loads(project.whole.partition(b"\n")[2])
    outside = project.tmp / "outside"
    outside.write_bytes(_framed(marshal.dumps((generator_digest(), entries))))
    project.cache.unlink()
    project.cache.symlink_to(outside)


def folder(project, data):
    project.cache.unlink()
    project.cache.mkdir()
    (project.cache / data.draw(st.sampled_from(["x", "sources"]))).write_bytes(project.whole)


def fifo(project, data):
    project.cache.unlink()
    os.mkfifo(project.cache)


DAMAGE = {f.__name__: f for f in (empty, truncate, flip, append, header_only, other_version, not_marshal, wrong_shape,
                                  forged_link, folder, fifo)}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
@given(data=st.data())
@EXAMPLES
def test_a_damaged_cache_only_makes_the_pages_read_again(project, kind, data):
    try:
        DAMAGE[kind](project, data)
        assert project.build() == project.expected
        assert sorted(project.parsed) == sorted(set(project.parsed)) and len(project.parsed) == PAGES
        if kind in ("folder",):
            return                       # never written through or over a folder
        assert project.cache.is_file() and not project.cache.is_symlink()
        project.build()
        assert project.parsed == []      # whole again
    finally:
        project.reset()


def test_one_entry_of_the_wrong_shape_is_that_page_read_again(project):
    version, entries = marshal.loads(project.whole.partition(b"\n")[2])
    entries[EDITED] = (entries[EDITED][0], entries[EDITED][1][:8] + (42,) + entries[EDITED][1][9:])   # body
    project.cache.write_bytes(_framed(marshal.dumps((version, entries))))
    assert project.build() == project.expected
    assert project.parsed == [EDITED]


FORGED_FIELDS = {   # index in an entry -> values a forged file could hold there, each refused
    0: ["it", "ru", "xx", ""],                                          # the language: not its folder's
    1: ["../x", "A B", "", "x/y", "x\n"],                               # the key
    4: ["../../x", "A", "", "x/y", "x\n"],                               # the slug
    16: [(("fact", ("a",), "3", 0, 1),), (("fact", (7,), 1, 0, 1),), (("fact", ("a",), 1),), "calls",
         (("fact", "a", 1, 0, 1),), ((7, ("a",), 1, 0, 1),), (("fact", ("a",), True, 0, 1),)],   # the calls
}


@given(field=st.sampled_from(sorted(FORGED_FIELDS)), data=st.data())
@EXAMPLES
def test_an_entry_with_a_valid_checksum_but_a_forged_field_is_that_page_read_again(project, field, data):
    """Checksums find damage, not forgery: an entry's language must be its folder's, its key and slug
    of their forms, its calls of their shape, or the page is read from its file (no crash)."""
    try:
        version, entries = marshal.loads(project.whole.partition(b"\n")[2])
        value = data.draw(st.sampled_from(FORGED_FIELDS[field]))
        sha, entry = entries[EDITED]
        entries[EDITED] = (sha, entry[:field] + (value,) + entry[field + 1:])
        project.cache.write_bytes(_framed(marshal.dumps((version, entries))))
        assert project.build() == project.expected
        assert project.parsed == [EDITED]
    finally:
        project.reset()


# -- problems are reported as without the cache ----------------------------------------------------
def _error(project, **options) -> str:
    with pytest.raises(BuildError) as failed:
        project.build("failed", **options)
    return str(failed.value)


def test_a_page_with_a_problem_is_never_cached_and_is_reported_every_time(project):
    path = project.root / EDITED
    original = path.read_text("utf-8")
    path.write_text(original.replace("{{ fact('interval') }}", "{{ fact('interval') }"), "utf-8")
    expected = _error(project, use_cache=False)
    assert f"{EDITED}:" in expected
    assert _error(project) == expected and project.parsed == [EDITED]
    assert _error(project) == expected and project.parsed == [EDITED]
    path.write_text(original.replace("reviewed: 2026-11-20", "reviewed: 2026-13-20"), "utf-8")
    expected = _error(project, use_cache=False)
    assert f"{EDITED}:" in expected
    assert _error(project) == expected and project.parsed == [EDITED]
    path.write_text(original, "utf-8")
    assert project.build() == project.expected
    assert project.parsed == []      # the entry of these bytes was kept through the failed builds


def test_a_cached_pages_calls_are_checked_against_the_facts_at_their_lines(project):
    facts = project.root / "content/facts.yaml"
    facts.write_text(facts.read_text("utf-8").replace(
        "  point.volume:\n    range: [0.05, 0.1]\n", "  point.volume:\n    not_on_pages: only for the clinic\n    range: [0.05, 0.1]\n"),
        "utf-8")
    warm = _error(project)
    assert project.parsed == []      # the pages came from the cache, their problems did not
    assert warm == _error(project, use_cache=False)
    for lang in ("it", "en", "ru"):
        assert f"content/{lang}/treatment.md:" in warm

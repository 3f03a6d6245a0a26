"""A damaged render cache never changes the output (issue 9, item 4).

Every kind of damage to an entry (emptied, truncated, bytes flipped, another entry's bytes, a link to
another entry or to a forged file outside, a folder, a fifo) is a miss: exactly the damaged pages are
rendered again, the site is byte-identical to a `--no-cache` build, and the entry is whole afterwards.
A cache that cannot be written (a file where its folder belongs, failing writes) changes nothing but
one warning. The key covers the generator's code and its libraries, and the catalogue bytes the build
read, so a file saved during a build is never cached with the old text."""

from __future__ import annotations

import errno
import importlib.metadata
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from siteassertions import tree_bytes
from sitefiles import make_site

import patientsite
from patientsite import pipeline
from patientsite import write as write_module
from patientsite.cli import main
from patientsite.pipeline import build
from patientsite.render import cache as cache_module
from patientsite.render import output as render
from patientsite.render.cache import CACHE_DIR, LIBRARIES, code_digest, generator_digest, pack, unpack

EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PAGES = 9                     # pages of the small site (3 per language), each one entry


class Project:
    """The small site, its reference output (a `--no-cache` build) and its warm cache. Every build of
    a test repairs the cache, so Hypothesis's examples can damage it again and again."""

    def __init__(self, tmp: Path):
        self.tmp, self.root, self.out = tmp, make_site(tmp / "p"), tmp / "site"
        assert build(self.root, tmp / "cold", use_cache=False, jobs=1).rendered == PAGES
        self.expected = tree_bytes(tmp / "cold")
        self.names = sorted(self.entries())
        self.whole = {name: path.read_bytes() for name, path in self.entries().items()}
        assert len(self.names) == PAGES

    @property
    def folder(self) -> Path:
        return self.root / CACHE_DIR

    def entries(self) -> dict[str, Path]:
        return {p.name: p for p in self.folder.glob("*/*") if not p.name.startswith(".")}

    def build(self, **options):
        return build(self.root, self.out, jobs=1, **options)

    def reset(self) -> None:
        """The warm cache as the first build left it (Hypothesis may stop an example halfway, after
        some damage and before the build that would repair it)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        for name, entry in self.whole.items():
            (self.folder / name[:2]).mkdir(parents=True, exist_ok=True)
            (self.folder / name[:2] / name).write_bytes(entry)

    def cold(self, name: str = "cold-now") -> dict:
        """The reference for the files as they are now: a build without the cache."""
        shutil.rmtree(self.tmp / name, ignore_errors=True)
        build(self.root, self.tmp / name, use_cache=False, jobs=1)
        return tree_bytes(self.tmp / name)

    def assert_whole(self) -> None:
        """Every entry is a plain file holding its own page, and no temporary file is left."""
        entries = self.entries()
        assert sorted(entries) == self.names
        for name, path in entries.items():
            assert not path.is_symlink() and path.is_file(), name
            assert unpack(name, path.read_bytes()) is not None, name
        assert not list(self.folder.glob("*/.*"))


@pytest.fixture
def project(tmp_path):
    generator_digest.cache_clear()
    yield Project(tmp_path)
    generator_digest.cache_clear()


def cache_warnings(result) -> list:
    return [w for w in result.warnings if w.path == CACHE_DIR]


# -- damage to entries -------------------------------------------------------------------------------
def _other(project, path, data) -> Path:
    return project.entries()[data.draw(st.sampled_from([n for n in project.names if n != path.name]))]


def empty(project, path, data):
    path.write_bytes(b"")


def truncate(project, path, data):
    entry = path.read_bytes()
    path.write_bytes(entry[: data.draw(st.integers(0, len(entry) - 1))])


def flip(project, path, data):
    entry = bytearray(path.read_bytes())
    for index in data.draw(st.lists(st.integers(0, len(entry) - 1), min_size=1, max_size=6, unique=True)):
        entry[index] ^= data.draw(st.integers(1, 255))
    path.write_bytes(bytes(entry))


def append(project, path, data):
    path.write_bytes(path.read_bytes() + data.draw(st.binary(min_size=1, max_size=40)))


def header_only(project, path, data):
    path.write_bytes(path.read_bytes().partition(b"\n")[0] + b"\n")


def copy_other(project, path, data):
    path.write_bytes(project.whole[_other(project, path, data).name])   # a whole entry, of another page


def link_other(project, path, data):
    other = _other(project, path, data)
    path.unlink()
    path.symlink_to(os.path.relpath(other, path.parent) if data.draw(st.booleans()) else other)


def link_outside(project, path, data):
    # even a well-formed entry for this very digest is refused through a link
    outside = project.tmp / "outside" / path.name
    outside.parent.mkdir(exist_ok=True)
    outside.write_bytes(pack(path.name, data.draw(st.binary(max_size=60)) + b"<script>forged</script>"))
    path.unlink()
    path.symlink_to(outside)


def folder(project, path, data):
    path.unlink()
    path.mkdir()
    (path / data.draw(st.sampled_from(["x", path.name, ".hidden"]))).write_bytes(b"not an entry")


def fifo(project, path, data):
    path.unlink()
    os.mkfifo(path)


def no_permission(project, path, data):
    path.chmod(data.draw(st.sampled_from([0o000, 0o200, 0o444])))   # root reads anyway: content decides


DAMAGE = {f.__name__: f for f in (empty, truncate, flip, append, header_only, copy_other, link_other, link_outside,
                                  folder, fifo, no_permission)}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
@EXAMPLES
@given(data=st.data())
def test_a_damaged_entry_is_rendered_again_and_repaired(project, kind, data):
    project.reset()
    chosen = data.draw(st.lists(st.sampled_from(project.names), min_size=1, max_size=4, unique=True))
    for name in chosen:
        DAMAGE[kind](project, project.entries()[name], data)
    result = project.build()
    assert tree_bytes(project.out) == project.expected
    expected_misses = 0 if kind == "no_permission" else len(chosen)
    assert result.rendered == expected_misses
    assert cache_warnings(result) == []
    project.assert_whole()
    assert project.build().rendered == 0


@EXAMPLES
@given(data=st.data())
def test_a_linked_subfolder_is_not_read(project, data):
    """A two-letter subfolder replaced by a link to forged entries: every page in it is rendered."""
    project.reset()
    sub = data.draw(st.sampled_from(sorted({project.entries()[n].parent for n in project.names})))
    names = sorted(p.name for p in sub.iterdir())
    outside = project.tmp / "forged" / sub.name
    shutil.rmtree(outside.parent, ignore_errors=True)
    outside.mkdir(parents=True)
    for name in names:
        (outside / name).write_bytes(pack(name, b"<p>forged</p>"))
    shutil.rmtree(sub)
    sub.symlink_to(outside)
    result = project.build()
    assert tree_bytes(project.out) == project.expected
    assert result.rendered == len(names)
    project.assert_whole()
    assert all(unpack(name, (outside / name).read_bytes()) == b"<p>forged</p>" for name in names)  # not written through


@EXAMPLES
@given(data=st.data())
def test_no_cache_renders_everything_and_rewrites_every_entry(project, data):
    """Even well-formed entries holding a wrong page (a cache written by a faulty version) are
    rewritten by `--no-cache`."""
    project.reset()
    entries = project.entries()
    chosen = data.draw(st.lists(st.sampled_from(project.names), min_size=1, unique=True))
    for name in chosen:
        damage = data.draw(st.sampled_from(sorted(DAMAGE) + ["wrong page"]))
        if damage == "wrong page":
            entries[name].write_bytes(pack(name, data.draw(st.binary(max_size=50))))
        else:
            DAMAGE[damage](project, entries[name], data)
    result = project.build(use_cache=False)
    assert result.rendered == PAGES
    assert tree_bytes(project.out) == project.expected
    project.assert_whole()
    again = project.build()
    assert again.rendered == 0
    assert tree_bytes(project.out) == project.expected


def test_an_entry_is_its_digest_and_a_checksum_then_the_page(project):
    for name, path in project.entries().items():
        entry = path.read_bytes()
        content = unpack(name, entry)
        assert content is not None and entry == pack(name, content)
        assert content.startswith(b"<!DOCTYPE html>")
        assert unpack(project.names[0] if name != project.names[0] else project.names[1], entry) is None


# -- a cache that cannot be written ------------------------------------------------------------------
def _cli_build(project, *options) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(project.root), "build", "--out", str(project.out), "--jobs", "1", *options])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("options", [(), ("--no-cache",)])
@pytest.mark.parametrize("blocked", [".cache/pages", ".cache", ".cache/pages/SUB"])
def test_a_file_where_the_cache_folder_belongs_only_warns(project, blocked, options):
    shutil.rmtree(project.root / ".cache")
    if blocked.endswith("SUB"):          # the cache folder is fine, but one of its subfolders is a file:
        (project.root / CACHE_DIR).mkdir(parents=True)   # that one is replaced, the rest written
    else:
        (project.root / blocked).parent.mkdir(parents=True, exist_ok=True)
        (project.root / blocked).write_bytes(b"a file, not a folder\n")
    code, printed, errors = _cli_build(project, *options)
    assert code == 0, errors
    assert "Traceback" not in errors
    assert tree_bytes(project.out) == project.expected
    if blocked.endswith("SUB"):
        assert "warning: .cache/pages" not in errors
        project.assert_whole()
        return
    assert errors.count("warning: .cache/pages: the render cache cannot be written") == 1, errors
    assert (project.root / blocked).read_bytes() == b"a file, not a folder\n"     # left as it was
    assert f"({PAGES} pages rendered" in printed


class FailingOs:
    """The `os` module as the cache's writes see it (cache.py's and write.py's, through which every
    atomic write goes), with one kind of write inside `folder` failing from its `after`-th call."""

    def __init__(self, operation: str, code: int, after: int, folder: Path):
        self.operation, self.code, self.after, self.calls = operation, code, after, 0
        self.folder, self.handles = str(folder), set()

    def _inside(self, path) -> bool:
        return str(path).startswith(self.folder)

    def _due(self, operation: str) -> bool:
        if operation != self.operation:
            return False
        self.calls += 1
        return self.calls > self.after

    def _fail(self):
        raise OSError(self.code, os.strerror(self.code))

    def __getattr__(self, name):
        return getattr(os, name)

    def open(self, path, flags, *args, **kwargs):
        if self._inside(path) and flags & os.O_WRONLY and self._due("open"):
            self._fail()
        handle = os.open(path, flags, *args, **kwargs)
        (self.handles.add if self._inside(path) else self.handles.discard)(handle)   # numbers are reused
        return handle

    def replace(self, source, target):
        if self._inside(target) and self._due("replace"):
            self._fail()
        return os.replace(source, target)

    def fdopen(self, handle, mode="r", *args, **kwargs):
        stream = os.fdopen(handle, mode, *args, **kwargs)
        if handle in self.handles and "w" in mode and self._due("write"):
            failing = self

            class Full:
                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    stream.close()
                    return False

                def write(self, _data):
                    failing._fail()

            return Full()
        return stream


@settings(EXAMPLES, max_examples=20)
@given(operation=st.sampled_from(["open", "write", "replace", "mkdir"]),
       code=st.sampled_from([errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EDQUOT, errno.EIO]),
       after=st.integers(0, PAGES - 1), no_cache=st.booleans(), lost=st.integers(1, PAGES))
def test_failing_cache_writes_change_nothing_but_one_warning(project, monkeypatch, operation, code, after,
                                                            no_cache, lost):
    project.reset()
    for name in project.names[:lost]:
        project.entries()[name].unlink()
    if operation == "mkdir":
        shutil.rmtree(project.folder)
    failing = FailingOs(operation, code, after if operation != "mkdir" else 0, project.folder)
    real_mkdir = Path.mkdir

    def mkdir(path, *args, **kwargs):
        if str(path).startswith(str(project.folder)) and failing._due("mkdir"):
            failing._fail()
        return real_mkdir(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "os", failing)
        patch.setattr(write_module, "os", failing)
        patch.setattr(Path, "mkdir", mkdir)
        result = project.build(use_cache=not no_cache)
    assert tree_bytes(project.out) == project.expected
    writes = PAGES if no_cache else lost
    warnings = cache_warnings(result)
    if operation == "mkdir" or after < writes:
        assert len(warnings) == 1
        assert os.strerror(code) in warnings[0].message
    else:
        assert warnings == []
    for name, path in project.entries().items():     # what was written is whole; nothing half-written stays
        assert unpack(name, path.read_bytes()) is not None
    assert not list(project.folder.glob("*/.*")) if project.folder.is_dir() else True
    project.build()
    project.assert_whole()


# -- what the key covers -----------------------------------------------------------------------------
@EXAMPLES
@given(digest=st.text(min_size=1, max_size=64))
def test_a_change_of_the_generator_renders_every_page_again(project, monkeypatch, digest):
    project.reset()
    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "generator_digest", lambda: digest)
        first = project.build()
        second = project.build()
    assert first.rendered == PAGES and second.rendered == 0
    assert tree_bytes(project.out) == project.expected
    assert project.build().rendered == 0                 # the real generator's entries are still there


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_library_version_is_part_of_the_key(project, monkeypatch, library):
    package = Path(patientsite.__file__).parent
    before = code_digest(package)
    real_version = importlib.metadata.version

    def version(name):
        return "999.0" if name == library else real_version(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    assert code_digest(package) != before
    generator_digest.cache_clear()
    assert project.build().rendered == PAGES
    assert tree_bytes(project.out) == project.expected


def test_the_key_is_the_code_of_this_package():
    generator_digest.cache_clear()
    assert generator_digest() == code_digest(Path(patientsite.__file__).resolve().parent)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("code") / "patientsite"
    shutil.copytree(Path(patientsite.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_edit_of_any_source_file_changes_the_key(package_copy, data):
    before = code_digest(package_copy)
    path = data.draw(st.sampled_from(sorted(package_copy.rglob("*.py"))))
    original = path.read_bytes()
    at = data.draw(st.integers(0, len(original)))
    edit = data.draw(st.sampled_from(["insert", "delete", "change"]) if at < len(original) else st.just("insert"))
    if edit == "insert":
        edited = original[:at] + data.draw(st.binary(min_size=1, max_size=4)) + original[at:]
    elif edit == "delete":
        edited = original[:at] + original[at + 1:]
    else:
        edited = original[:at] + bytes([original[at] ^ data.draw(st.integers(1, 255))]) + original[at + 1:]
    path.write_bytes(edited)
    try:
        assert code_digest(package_copy) != before
    finally:
        path.write_bytes(original)
    assert code_digest(package_copy) == before


# -- inputs saved while a build runs -----------------------------------------------------------------
def _shown_strings(project, code: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of the catalogue's one-line translations that the cached pages show."""
    po = project.root / f"content/{code}/messages.po"
    text = po.read_text(encoding="utf-8")
    with po.open("rb") as stream:
        catalog = read_po(stream)
    pages = b"".join(v for k, v in project.expected.items() if k.startswith(f"{code}/") and k != f"{code}/404.html")
    return [(m.id, m.string) for m in catalog
            if m.id and isinstance(m.string, str) and m.string.isalpha() and text.count(f'msgstr "{m.string}"') == 1
            and pages.count(m.string.encode()) > 0]


@EXAMPLES
@given(data=st.data())
def test_a_catalogue_saved_during_a_build_is_never_cached_with_the_old_text(project, monkeypatch, data):
    project.reset()
    code = data.draw(st.sampled_from(["it", "en", "ru"]))
    msgid, old = data.draw(st.sampled_from(_shown_strings(project, code)))
    new = data.draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12).filter(lambda t: t not in old))
    po = project.root / f"content/{code}/messages.po"
    original = po.read_bytes()
    edited = original.replace(f'msgstr "{old}"'.encode(), f'msgstr "{new}"'.encode())
    real = pipeline.judge_translations

    def saved_meanwhile(*args, **kwargs):      # between the load stage and rendering
        po.write_bytes(edited)
        return real(*args, **kwargs)

    try:
        with monkeypatch.context() as patch:
            patch.setattr(pipeline, "judge_translations", saved_meanwhile)
            project.build()
        assert tree_bytes(project.out) == project.expected           # the text that was loaded
        after = project.build()
        assert after.rendered == PAGES // 3
        assert tree_bytes(project.out) == project.cold()
        assert f"{new}".encode() in b"".join(tree_bytes(project.out).values())
        assert project.build(use_cache=False).rendered == PAGES
    finally:
        po.write_bytes(original)
    assert project.build().rendered == 0
    assert tree_bytes(project.out) == project.expected


@EXAMPLES
@given(template=st.sampled_from(["page.html", "base.html", "facts/table.html", "facts/list.html"]),
       mark=st.text("abcdefghij", min_size=1, max_size=8))
def test_a_template_saved_while_rendering_is_not_cached(project, monkeypatch, template, mark):
    project.reset()
    path = project.root / "templates" / template
    if not path.is_file():
        pytest.skip(f"no {template} in this version of the templates")
    original = path.read_bytes()
    shutil.rmtree(project.folder)
    real = render.render_pages

    def saved_meanwhile(*args, **kwargs):
        path.write_bytes(original + f"{{# {mark} #}}<!-- {mark} -->\n".encode())
        return real(*args, **kwargs)

    try:
        with monkeypatch.context() as patch:
            patch.setattr(render, "render_pages", saved_meanwhile)
            project.build()
        assert not project.entries()                 # rendered with other templates than the key's
        assert project.build().rendered == PAGES
    finally:
        path.write_bytes(original)
    assert project.build().rendered == PAGES           # the original templates' pages were never stored
    assert tree_bytes(project.out) == project.expected
    entries = project.entries()                        # beside the edited templates' entries
    assert all(unpack(name, entries[name].read_bytes()) == project.whole[name].partition(b"\n")[2]
               for name in project.names)

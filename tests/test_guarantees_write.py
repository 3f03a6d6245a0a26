"""Guarantees of write.py, pinned one by one (fast unit tests; scripts/mutation.sh scores them):
no output path escapes the output folder or is written twice; the build replaces only a folder it
made or an empty one, never the project or its sources; the new site is written beside the old one
and swapped in whole (never "delete, then write in place"); one build at a time per output folder;
a report is written atomically."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientsite.write as write
from patientsite.errors import BuildError
from patientsite.write import MARKER, MARKER_TEXT, check_output_folder, check_paths, write_site


def errors(call, *args) -> list[str]:
    with pytest.raises(BuildError) as caught:
        call(*args)
    return [f"{p.location}: {p.message}" for p in caught.value.problems]


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def wait_until_gone(path: Path) -> bool:
    deadline = time.monotonic() + 20     # the replaced folder is deleted by a detached process
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not path.exists()


# -- output paths ----------------------------------------------------------------------------------
ESCAPING = ["/etc/passwd", "../x.html", "..", "a/../../b.html", "a/../b.html", "a/./b.html", "./a.html",
            "a//b.html", "a/", "a\\b.html", "a\x00b", "a\nb.html", "tab\there", "\x1f.html", "..hidden",
            MARKER]


@pytest.mark.parametrize("path", ESCAPING)
def test_an_output_path_outside_the_folder_or_unnormalised_is_refused(path):
    assert errors(check_paths, [("ok.html", b""), (path, b"x")]) == [
        f"{path}: this output path would escape the output folder"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text("abz09-_. /", min_size=1, max_size=12), min_size=1, max_size=5))
def test_every_normalised_relative_path_is_accepted(names):
    paths = sorted({n for n in names if os.path.normpath(n) == n and not n.startswith(("/", ".."))
                    and n != MARKER})
    check_paths([(p, b"") for p in paths])       # a space (character 32) is an ordinary character


def test_a_second_write_to_one_path_is_refused_once_per_extra_write():
    found = errors(check_paths, [("a.html", b"1"), ("b.html", b""), ("a.html", b"2"), ("a.html", b"3")])
    assert found == ["a.html: two outputs would be written to the same path"]   # one problem, sorted, unique
    with pytest.raises(BuildError) as caught:
        check_paths([("a.html", b"1"), ("a.html", b"2"), ("a.html", b"3")])
    assert len(caught.value.problems) == 1


def test_all_bad_paths_are_reported_together():
    assert errors(check_paths, [("../a", b""), ("b", b""), ("b", b""), ("/c", b"")]) == [
        "../a: this output path would escape the output folder",
        "/c: this output path would escape the output folder",
        "b: two outputs would be written to the same path"]


# -- the output folder -----------------------------------------------------------------------------
def test_a_new_an_empty_and_a_marked_folder_are_accepted(tmp_path):
    check_output_folder(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty")
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / MARKER).write_bytes(MARKER_TEXT)
    (tmp_path / "ours" / "index.html").write_text("old")
    check_output_folder(tmp_path / "ours")


def test_a_folder_whose_marker_is_a_folder_is_refused(tmp_path):
    out = tmp_path / "web"
    (out / MARKER).mkdir(parents=True)
    assert errors(check_output_folder, out) == [
        f"{out}: the output folder holds files this build did not make (no {MARKER} in it)"]


def test_a_file_and_a_symbolic_link_are_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    assert errors(check_output_folder, tmp_path / "file") == [f"{tmp_path / 'file'}: the output path is a file, not a folder"]
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert errors(check_output_folder, tmp_path / "link") == [f"{tmp_path / 'link'}: the output folder is a symbolic link"]
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert errors(check_output_folder, tmp_path / "dangling") == [
        f"{tmp_path / 'dangling'}: the output folder is a symbolic link"]


def test_a_relative_output_is_checked_and_named_as_an_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "x").write_text("x")
    assert errors(check_output_folder, Path("web/../web")) == [
        f"{tmp_path / 'web'}: the output folder holds files this build did not make (no {MARKER} in it)"]


PROTECTED_MESSAGE = ("the output folder would be the project, one of its parents, or inside content/, "
                     "templates/, .git/ or .cache/")


@pytest.mark.parametrize("where", [".", "..", "content", "content/it", "content/it/new", "templates",
                                   "templates/x", ".git", ".git/x", ".cache", ".cache/pages"])
def test_the_project_its_parents_and_its_sources_are_refused(tmp_path, where):
    root = tmp_path / "project"
    root.mkdir()
    out = Path(os.path.abspath(root / where))
    assert f"{out}: {PROTECTED_MESSAGE}" in errors(check_output_folder, out, root)


@pytest.mark.parametrize("where", ["site", "public/www", "contents", "templates-old", "../elsewhere"])
def test_a_folder_beside_the_sources_is_accepted(tmp_path, where):
    root = tmp_path / "project"
    root.mkdir()
    check_output_folder(root / where, root)


def test_the_project_is_compared_resolved(tmp_path):
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(root)
    out = root / "content"
    assert errors(check_output_folder, out, tmp_path / "alias") == [f"{out}: {PROTECTED_MESSAGE}"]


# -- writing and swapping --------------------------------------------------------------------------
def test_the_site_is_written_whole_with_its_marker(tmp_path):
    out = tmp_path / "site"
    write_site([("index.html", b"home"), ("a/b/c.html", b"deep"), ("a/d.html", b"d")], out)
    assert files_under(out) == {MARKER: MARKER_TEXT, "index.html": b"home", "a/b/c.html": b"deep",
                                "a/d.html": b"d"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_relative_output_folder_is_written_where_it_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_site([("index.html", b"x")], Path("deep/er/site"))
    assert (tmp_path / "deep/er/site/index.html").read_bytes() == b"x"


def test_bad_paths_are_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "site"
    write_site([("keep.html", b"kept")], out)
    with pytest.raises(BuildError):
        write_site([("fine.html", b"x"), ("../escape.html", b"x")], out)
    assert files_under(out) == {MARKER: MARKER_TEXT, "keep.html": b"kept"}
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / ".site.building").exists()


def test_a_foreign_output_folder_is_refused_and_kept(tmp_path):
    out = tmp_path / "web"
    out.mkdir()
    (out / ".htaccess").write_text("keep me")
    with pytest.raises(BuildError):
        write_site([("index.html", b"x")], out)
    assert files_under(out) == {".htaccess": b"keep me"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["web"]


def test_the_new_site_is_made_beside_the_old_and_swapped_in_whole(tmp_path, monkeypatch):
    """Never "delete, then write in place": when the swap starts, the old site is untouched and the
    new one is complete in a separate folder; afterwards the old folder is moved aside, not emptied."""
    out = tmp_path / "site"
    write_site([("index.html", b"old"), ("gone.html", b"old")], out)
    old_inode = out.stat().st_ino
    seen = {}
    real_publish = write.publish

    def publish(building, target):
        seen["out"] = files_under(target)
        seen["building"] = files_under(building)
        seen["same"] = building.resolve() == target.resolve()
        real_publish(building, target)

    monkeypatch.setattr(write, "publish", publish)
    write_site([("index.html", b"new")], out)
    assert seen == {"out": {MARKER: MARKER_TEXT, "index.html": b"old", "gone.html": b"old"},
                    "building": {MARKER: MARKER_TEXT, "index.html": b"new"}, "same": False}
    assert files_under(out) == {MARKER: MARKER_TEXT, "index.html": b"new"}
    assert out.stat().st_ino != old_inode


def test_publish_exchanges_atomically_and_discards_the_old_site(tmp_path, monkeypatch):
    out, building = tmp_path / "site", tmp_path / ".site.building"
    for folder, text in ((out, b"old"), (building, b"new")):
        folder.mkdir()
        (folder / "index.html").write_bytes(text)
    discarded = []
    monkeypatch.setattr(write, "_discard", lambda folder: discarded.append(files_under(folder)))
    monkeypatch.setattr(os, "replace", None)       # an exchange needs no moment without `out`
    write.publish(building, out)
    assert files_under(out) == {"index.html": b"new"}
    assert discarded == [{"index.html": b"old"}]
    assert not building.exists()


def test_publish_without_an_exchange_still_replaces_the_site(tmp_path, monkeypatch):
    out, building = tmp_path / "site", tmp_path / ".site.building"
    for folder, text in ((out, b"old"), (building, b"new")):
        folder.mkdir()
        (folder / "index.html").write_bytes(text)
    discarded = []
    monkeypatch.setattr(write, "exchange", lambda a, b: False)
    monkeypatch.setattr(write, "_discard", lambda folder: discarded.append((folder.name, files_under(folder))))
    write.publish(building, out)
    assert files_under(out) == {"index.html": b"new"}
    assert len(discarded) == 1 and discarded[0][1] == {"index.html": b"old"}
    assert discarded[0][0].startswith(f".site.previous-{os.getpid()}-")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", discarded[0][0]])


def test_publish_to_a_new_folder_renames(tmp_path, monkeypatch):
    building = tmp_path / ".site.building"
    building.mkdir()
    (building / "a").write_text("a")
    monkeypatch.setattr(write, "exchange", None)    # nothing to exchange with
    write.publish(building, tmp_path / "site")
    assert files_under(tmp_path / "site") == {"a": b"a"} and not building.exists()


def test_the_replaced_site_is_deleted_in_the_background(tmp_path):
    out = tmp_path / "site"
    write_site([("a.html", b"1")], out)
    write_site([("b.html", b"2")], out)
    assert files_under(out) == {MARKER: MARKER_TEXT, "b.html": b"2"}
    leftovers = [p for p in tmp_path.iterdir() if p.name != "site"]
    assert all(wait_until_gone(p) for p in leftovers)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_exchange_swaps_two_folders_and_reports_a_missing_one(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "one").write_text("1")
    (second / "two").write_text("2")
    assert write.exchange(first, second) is True
    assert [p.name for p in first.iterdir()] == ["two"] and [p.name for p in second.iterdir()] == ["one"]
    with pytest.raises(FileNotFoundError) as caught:
        write.exchange(first, tmp_path / "missing")
    assert caught.value.filename == str(tmp_path / "missing")
    assert caught.value.strerror == os.strerror(caught.value.errno)


def test_exchange_is_not_tried_off_linux(tmp_path, monkeypatch):
    monkeypatch.setattr(write.sys, "platform", "darwin")
    assert write.exchange(tmp_path / "a", tmp_path / "b") is False


def test_exchange_unsupported_by_the_file_system_is_false(tmp_path, monkeypatch):
    import ctypes
    import errno

    class Libc:
        def __init__(self, code):
            self.code = code
            self.renameat2 = self

        def __call__(self, *args):
            ctypes.set_errno(self.code)
            return -1

    for code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        monkeypatch.setattr(ctypes, "CDLL", lambda *a, code=code, **k: Libc(code))
        assert write.exchange(tmp_path / "a", tmp_path / "b") is False
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: Libc(errno.EACCES))
    with pytest.raises(PermissionError):
        write.exchange(tmp_path / "a", tmp_path / "b")
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: object())     # no renameat2 in this libc
    assert write.exchange(tmp_path / "a", tmp_path / "b") is False


def test_discard_deletes_in_a_detached_process_or_here(tmp_path, monkeypatch):
    folder = tmp_path / "old"
    (folder / "deep").mkdir(parents=True)
    (folder / "deep" / "x").write_text("x")
    calls = []
    real = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: calls.append(k) or real(*a, **k))
    write._discard(folder)
    assert calls and calls[0]["start_new_session"] is True and all(
        calls[0][name] == subprocess.DEVNULL for name in ("stdin", "stdout", "stderr"))
    assert wait_until_gone(folder)
    (folder / "deep").mkdir(parents=True)

    def refuse(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    write._discard(folder)
    assert not folder.exists()


# -- leftovers of a killed build ---------------------------------------------------------------------
def test_a_killed_builds_leftovers_are_removed(tmp_path):
    out = tmp_path / "site"
    building = tmp_path / ".site.building"
    building.mkdir()
    (building / MARKER).write_bytes(MARKER_TEXT)
    (building / "half.html").write_text("half")
    previous = tmp_path / ".site.previous-1-2"
    previous.mkdir()
    (previous / MARKER).write_bytes(MARKER_TEXT)
    empty = tmp_path / ".site.previous-3-4"
    empty.mkdir()
    write_site([("index.html", b"x")], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert files_under(out) == {MARKER: MARKER_TEXT, "index.html": b"x"}


def test_a_foreign_previous_folder_is_left_alone(tmp_path):
    foreign = tmp_path / ".site.previous-mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    write_site([("index.html", b"x")], tmp_path / "site")
    assert files_under(foreign) == {"notes.txt": b"mine"}


@pytest.mark.parametrize("kind", ["file", "folder", "link"])
def test_something_foreign_in_the_building_place_is_refused_and_kept(tmp_path, kind):
    building = tmp_path / ".site.building"
    if kind == "file":
        building.write_text("mine")
    elif kind == "folder":
        building.mkdir()
        (building / "notes.txt").write_text("mine")
    else:
        (tmp_path / "target").mkdir()
        building.symlink_to(tmp_path / "target")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert errors(write_site, [("index.html", b"x")], tmp_path / "site") == [
        f"{building}: a file or folder by this name, not made by the build, is in the way"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert building.is_symlink() or building.exists()


# -- one build at a time -------------------------------------------------------------------------------
def test_a_second_build_into_one_folder_waits_then_is_refused(tmp_path):
    out = tmp_path / "site"
    with write.output_lock(out, wait=0):
        assert (tmp_path / ".site.lock").is_file()
        started = time.monotonic()
        assert errors(lambda: write.output_lock(out, wait=0.2).__enter__()) == [
            f"{out}: another build into this folder is still running (waited 0.2 s for it)"]
        assert time.monotonic() - started >= 0.2
        with write.output_lock(tmp_path / "other", wait=0):    # another folder: no wait
            pass
    with write.output_lock(out, wait=0):                        # released when the first ends
        pass


def test_the_lock_waits_for_the_default_time(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "LOCK_WAIT_SECONDS", 0.1)
    out = tmp_path / "deep" / "site"
    with write.output_lock(out):
        assert errors(lambda: write.output_lock(out).__enter__()) == [
            f"{out}: another build into this folder is still running (waited 0.1 s for it)"]


# -- reports -----------------------------------------------------------------------------------------
def test_a_report_is_written_whole_and_replaced_atomically(tmp_path):
    path = tmp_path / "reports" / "deep" / "report.html"
    write.write_file(path, "première")
    write.write_file(path, "второй ✓")
    assert path.read_bytes() == "второй ✓".encode()
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]

"""Issue 9.2-9.3: the build replaces only a folder it made (or an empty one), the published folder is
never missing or partial (an atomic exchange), a kill at any rename leaves a whole site, and two builds
into one folder take turns."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefiles import REPO, make_site

from patientsite.cli import main
from patientsite.write import MARKER


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` (symbolic links as their target) with a digest of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def build(root: Path, *extra: str) -> int:
    return main(["--root", str(root), "build", *extra])


# -- refused: anything the build did not make --------------------------------------------------------
_NAMES = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters=".-_"),
                 min_size=1, max_size=12).filter(lambda n: n not in {".", ".."} and n != MARKER)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAMES, min_size=1, max_size=4, unique=True), data=st.binary(max_size=64))
def test_a_folder_with_files_the_build_did_not_make_is_refused_and_kept(tmp_path_factory, capsys, names, data):
    base = tmp_path_factory.mktemp("refuse")
    root = make_site(base / "project")
    out = base / "webroot"
    out.mkdir()
    for name in names:
        (out / name).write_bytes(data)
    before = tree(out)
    assert build(root, "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert f"{out}: the output folder holds files this build did not make (no {MARKER} in it)" in err
    assert "Traceback" not in err
    assert tree(out) == before


@pytest.mark.parametrize("where", [".", "content", "content/it", "templates", "..", "content/it/new-folder",
                                   ".cache/x"])
def test_the_project_its_parents_and_its_sources_are_refused(tmp_path, capsys, where):
    root = make_site(tmp_path / "project")
    (root / ".cache").mkdir(exist_ok=True)
    before = tree(tmp_path)
    assert build(root, "--out", str(root / where)) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "Traceback" not in err
    assert "Nothing was published" in err
    assert tree(tmp_path) == before


def test_a_file_and_a_symbolic_link_are_refused(tmp_path, capsys):
    root = make_site(tmp_path / "project")
    target = tmp_path / "index.html"
    target.write_text("mine")
    assert build(root, "--out", str(target)) == 1
    assert f"{target}: the output path is a file, not a folder" in capsys.readouterr().err
    assert target.read_text() == "mine"
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    assert build(root, "--out", str(link)) == 1
    assert f"{link}: the output folder is a symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and list(real.iterdir()) == []


def test_a_new_an_empty_and_its_own_folder_are_built(tmp_path, capsys):
    root = make_site(tmp_path / "project")
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "new" / "site", empty, empty):
        assert build(root, "--out", str(out)) == 0, capsys.readouterr().err
        assert (out / MARKER).is_file() and (out / "it" / "index.html").is_file()


# -- never missing, never partial ------------------------------------------------------------------------
def test_a_reader_never_finds_the_site_missing_during_builds(tmp_path, capsys):
    root = make_site(tmp_path / "project")
    out = root / "site"
    assert build(root) == 0
    missing, stop = [], threading.Event()

    def poll():
        while not stop.is_set():
            if not (out / "it" / "index.html").is_file():
                missing.append(1)

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(15):
            assert build(root, "--no-cache") == 0
    finally:
        stop.set()
        reader.join()
    assert missing == []


KILLER = """
import os, signal, sys
sys.path.insert(0, {repo!r})
import patientsite.write as write
count = [0]
at = int(sys.argv[1])
def counted(real):
    def call(*args, **kwargs):
        count[0] += 1
        if count[0] == at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
write.os.rename = counted(write.os.rename)
write.os.replace = counted(write.os.replace)
write.exchange = counted(write.exchange)
from patientsite.cli import main
sys.exit(main(["--root", sys.argv[2], "build", "--no-cache"]))
"""


def _named(files) -> set[str]:
    """The paths of a site's files, with the content hashes in the search index's file names blanked
    (an edited page gets a new index file, but the same number of them)."""
    return {re.sub(r"_[0-9a-f]{7,}\.pf_", "_#.pf_", path) for path in files}


def test_a_kill_at_every_rename_leaves_a_whole_site(tmp_path):
    root = make_site(tmp_path / "project")
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(repo=str(REPO)))
    env = {**os.environ, "PATIENTSITE_TODAY": "2026-11-24"}
    assert subprocess.run([sys.executable, str(script), "0", str(root)], env=env).returncode == 0
    first = tree(root / "site")
    page = root / "content" / "it" / "index.md"
    killed = 0
    for at in range(1, 12):
        page.write_text(page.read_text(encoding="utf-8") + f"\nVersione {at}.\n", encoding="utf-8")
        run = subprocess.run([sys.executable, str(script), str(at), str(root)], env=env, capture_output=True)
        killed += run.returncode == -9
        now = tree(root / "site")
        assert _named(now) == _named(first), f"kill at rename {at}: the site is partial"
        assert now[MARKER] == first[MARKER]
    assert killed >= 1      # the kill did happen at a rename
    # after the kills, an ordinary build still works and leaves nothing of the killed ones behind
    assert subprocess.run([sys.executable, "build.py", "--root", str(root)], cwd=REPO, env=env).returncode == 0
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock"]
    assert all(name.startswith(".site.previous-") for name in leftovers)


# -- two builds at once -------------------------------------------------------------------------------------
def test_two_builds_into_one_folder_take_turns(tmp_path):
    root = make_site(tmp_path / "project")
    env = {**os.environ, "PATIENTSITE_TODAY": "2026-11-24"}
    command = [sys.executable, "build.py", "--root", str(root), "build", "--no-cache"]
    runs = [subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)]
    results = [(run.wait(timeout=120), run.stderr.read().decode()) for run in runs]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert all("Traceback" not in err for _, err in results)
    single = tmp_path / "single"
    assert subprocess.run([*command, "--out", str(single)], cwd=REPO, env=env).returncode == 0
    assert tree(root / "site") == tree(single)


def test_a_second_build_that_cannot_wait_is_refused_clearly(tmp_path, capsys, monkeypatch):
    import fcntl

    root = make_site(tmp_path / "project")
    out = root / "site"
    monkeypatch.setattr("patientsite.write.LOCK_WAIT_SECONDS", 0.2)
    with open(root / ".site.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert build(root) == 1
    err = capsys.readouterr().err
    assert f"{out}: another build into this folder is still running (waited 0.2 s for it)" in err
    assert not out.exists()

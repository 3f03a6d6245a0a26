"""Atomic, safe writing: refuse paths outside the output folder and second writes to one path;
write into a temporary folder beside the output, then swap it in."""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .errors import Problems


def check_paths(files) -> None:
    """Every output path must be relative, normalised, inside the output folder, and unique."""
    problems = Problems("writing the site")
    seen = set()
    for path, _content in files:
        normal = posixpath.normpath(path)
        if path.startswith("/") or normal != path or normal.startswith("..") or "\\" in path:
            problems.error(path, None, "this output path would escape the output folder",
                           "Slugs and file names may only use a-z, 0-9 and '-'.")
        elif path in seen:
            problems.error(path, None, "two outputs would be written to the same path",
                           "Give the pages different slugs.")
        seen.add(path)
    problems.raise_if_any()


def write_site(files, out: Path) -> None:
    """Write all files to a fresh folder next to `out`, then replace `out` with it. The replaced
    folder is deleted in the background (deleting thousands of folders is slower than writing them)."""
    check_paths(files)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.parent / f".{out.name}.building"
    for leftover in [building, *out.parent.glob(f".{out.name}.previous*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    building.mkdir()
    made = set()
    for path, content in files:
        target = building / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(content)
    previous = out.parent / f".{out.name}.previous-{os.getpid()}-{time.monotonic_ns()}"
    if out.exists():
        os.replace(out, previous)
    os.replace(building, out)
    if previous.exists():
        _discard(previous)


def _discard(folder: Path) -> None:
    """Delete a replaced output folder in a detached process; a leftover is removed by the next build."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def write_file(path: Path, content: str) -> None:
    """Write one file (a report) atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(content, encoding="utf-8")
    os.replace(temporary, path)

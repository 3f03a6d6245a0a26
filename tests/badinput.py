"""Shared by the bad-input test families: a previous site built once, then broken copies of the small
site built into the same output, each of which must fail with exit 1, its exact `path:line`, no
traceback, and leave the previous site byte-identical."""

from __future__ import annotations

import contextlib
import io
import itertools
import shutil
import tempfile
from pathlib import Path

from sitefiles import make_site

from patientsite.cli import main

PUBLISHED_NOTHING = "Nothing was published: the previous site is unchanged."
_count = itertools.count()


def snapshot(out: Path) -> dict:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """`python build.py --root ROOT ARGS...` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *args])
    return code, out.getvalue(), err.getvalue()


class Previous:
    """A good small site built once into `out`; `refused(changes)` builds a broken copy into it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.out = folder / "site"
        self.good = make_site(folder / "good")
        code, _, err = run(self.good, "build", "--out", str(self.out), "--no-cache")
        assert code == 0, err
        self.before = snapshot(self.out)

    def broken(self, changes: dict) -> Path:
        """A fresh copy of the small site with `changes`: text (str), bytes written as they are, or None."""
        root = Path(tempfile.mkdtemp(prefix=f"broken{next(_count)}-", dir=self.folder))
        shutil.rmtree(root)
        make_site(root, {rel: value for rel, value in changes.items() if not isinstance(value, bytes)})
        for rel, value in changes.items():
            if isinstance(value, bytes):
                (root / rel).write_bytes(value)
        return root

    def refused(self, changes: dict, *extra: str) -> str:
        """Build the broken copy; assert exit 1, no traceback, nothing published; return stderr."""
        root = self.broken(changes)
        try:
            code, _, err = run(root, "build", "--out", str(self.out), *extra)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        if code == 0:   # accepted: put the previous site back, so one failing case fails one test
            run(self.good, "build", "--out", str(self.out), "--no-cache")
        assert code == 1, err
        assert "Traceback" not in err
        assert err.rstrip().endswith(PUBLISHED_NOTHING), err
        assert snapshot(self.out) == self.before
        return err


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of `needle` in `text`."""
    return text[: text.index(needle)].count("\n") + 1

"""Atomic, safe writing: refuse paths outside the output folder and second writes to one path;
refuse an output folder the build did not make; write into a temporary folder beside the output, then
swap it in with one atomic exchange, so the published folder is never missing or partial."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import posixpath
import shutil
import subprocess
import sys
import time
from pathlib import Path

from patientsite.errors import BuildError, Problems

MARKER = ".patientsite-output"        # written into every output folder: "this build made it"
MARKER_TEXT = b"This folder is made by the patient-information site build; each build replaces it whole.\n"
LOCK_WAIT_SECONDS = float(os.environ.get("PATIENTSITE_LOCK_WAIT", "120"))
PROTECTED = ("content", "templates", ".git", ".cache")   # a project's folders no output may be in


def check_paths(files) -> None:
    """Every output path must be relative, normalised, inside the output folder, and unique."""
    problems = Problems("writing the site")
    seen = set()
    for path, _content in files:
        normal = posixpath.normpath(path)
        if (path.startswith("/") or normal != path or normal.startswith("..") or "\\" in path
                or any(ord(c) < 32 for c in path) or path == MARKER):
            problems.error(path, None, "this output path would escape the output folder",
                           "Slugs and file names may only use a-z, 0-9 and '-'.")
        elif path in seen:
            problems.error(path, None, "two outputs would be written to the same path",
                           "Give the pages different slugs.")
        seen.add(path)
    problems.raise_if_any()


def check_output_folder(out: Path, root: Path | None = None) -> None:
    """The build may replace only a folder it made itself (it holds the marker), an empty folder, or
    nothing; anything else is refused and left untouched."""
    out = Path(os.path.abspath(out))
    problems = Problems("checking the output folder")
    shown = str(out)
    hint = ("Choose a new or empty folder with --out, or the folder an earlier build made; "
            "the build never deletes what it did not make.")
    if out.is_symlink():
        problems.error(shown, None, "the output folder is a symbolic link", hint)
    elif out.exists() and not out.is_dir():
        problems.error(shown, None, "the output path is a file, not a folder", hint)
    elif out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        problems.error(shown, None, f"the output folder holds files this build did not make (no {MARKER} in it)",
                       hint + " A site/ made by a version of this tool from before the marker: delete it once.")
    if root is not None:
        root = root.resolve()
        inside = [root / name for name in PROTECTED]
        if out == root or any(out == p or p in out.parents for p in inside) or out in root.parents:
            problems.error(shown, None, "the output folder would be the project, one of its parents, or inside "
                           "content/, templates/, .git/ or .cache/", hint)
    problems.raise_if_any()


@contextlib.contextmanager
def output_lock(out: Path, wait: float | None = None):
    """One build at a time per output folder: a second build waits up to `wait` seconds for the first
    to finish, then gives up with a clear message (an flock: released when the process ends)."""
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    lock_path = out.parent / f".{out.name}.lock"
    with disk_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    problems = Problems("waiting for another build")
                    problems.error(str(out), None, f"another build into this folder is still running "
                                   f"(waited {wait:g} s for it)",
                                   "Wait for the other build (or preview) to finish, then build again.")
                    problems.raise_if_any()
                time.sleep(0.05)
        yield
    finally:
        handle.close()


def write_site(files, out: Path) -> None:
    """Write all files to a fresh folder next to `out`, then exchange it with `out` in one step. The
    replaced folder is deleted in the background (deleting thousands of folders is slower than writing)."""
    check_paths(files)
    with new_site_folder(out) as building, disk_errors(out):
        write_files(building, files)
        publish(building, Path(os.path.abspath(out)))


@contextlib.contextmanager
def new_site_folder(out: Path):
    """A fresh folder beside `out` (holding the marker) for the new site, yielded; deleted if the
    block fails, so `out` stays the previous site. The block publishes it."""
    out = Path(os.path.abspath(out))
    check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    building = out.parent / f".{out.name}.building"
    for leftover in [building, *out.parent.glob(f".{out.name}.previous-*")]:
        try:
            ours = leftover.is_dir() and not leftover.is_symlink() and ((leftover / MARKER).is_file()
                                                                         or not any(leftover.iterdir()))
        except FileNotFoundError:        # an earlier build's background deletion has just finished it
            continue
        if ours:
            shutil.rmtree(leftover, ignore_errors=True)
        elif leftover == building and (leftover.exists() or leftover.is_symlink()):
            problems = Problems("writing the site")
            problems.error(str(building), None, "a file or folder by this name, not made by the build, "
                           "is in the way", "Move it away; the build uses this name for the site it is making.")
            problems.raise_if_any()
    with disk_errors(out):
        building.mkdir()
    try:
        with disk_errors(out):
            (building / MARKER).write_bytes(MARKER_TEXT)   # first, so a killed build's leftover is known as ours
        yield building
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)   # the half-written site; `out` is the previous one
        raise


def write_files(folder: Path, files) -> None:
    """Write (path, content) pairs below `folder`, making the folders they need."""
    made = set()
    for path, content in files:
        target = folder / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(content)


def write_changes(out: Path, changed, removed=()) -> tuple[str, ...]:
    """Bring a published site up to date in place (the preview): each changed file replaced with
    `write_atomically`, each removed one deleted. Returns the paths touched."""
    check_paths(changed.items())
    with disk_errors(out):
        for path, content in changed.items():
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, content)
        for path in removed:
            (out / path).unlink(missing_ok=True)
    return tuple(sorted({*changed, *removed}))


_DISK_REASONS = {
    errno.ENOSPC: ("the disk is full", "Free some space on the disk, then build again."),
    errno.EDQUOT: ("your disk quota is used up", "Free some space (or ask for a larger quota), then build again."),
    errno.EACCES: ("you have no permission to write here",
                   "Give your user write permission on this folder, or choose another one with --out."),
    errno.EPERM: ("the system does not allow writing here",
                  "Give your user write permission on this folder, or choose another one with --out."),
    errno.EROFS: ("the disk is read-only", "Choose a folder on a writable disk with --out."),
}


@contextlib.contextmanager
def disk_errors(where: Path):
    """Turn a failed write (full disk, no permission, read-only disk) into a BuildError naming the path
    and what to do; the caller cleans up, so the previous site stays as it was."""
    try:
        yield
    except OSError as exc:
        reason, hint = _DISK_REASONS.get(exc.errno, (exc.strerror or str(exc), "Check the disk and the folder, "
                                                     "then build again."))
        problems = Problems("writing the site")
        problems.error(str(exc.filename or where), None, f"cannot write: {reason}",
                       hint + " The previous site is unchanged.")
        raise BuildError(problems.stage, problems.errors) from None


def publish(building: Path, out: Path) -> None:
    """Swap the finished `building` folder in as `out`: an atomic exchange where the platform has one
    (Linux renameat2), so `out` is at every moment the old site or the new one, never missing."""
    if not out.exists():
        os.rename(building, out)
        return
    if exchange(building, out):
        previous = out.parent / f".{out.name}.previous-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(building, previous)
        _discard(previous)
        return
    previous = out.parent / f".{out.name}.previous-{os.getpid()}-{time.monotonic_ns()}"
    os.replace(out, previous)          # no atomic exchange here: a moment without `out`
    os.replace(building, out)
    _discard(previous)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (renameat2 RENAME_EXCHANGE); False where the platform lacks it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _discard(folder: Path) -> None:
    """Delete a replaced output folder in a detached process; a leftover is removed by the next build."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def write_file(path: Path, content: str) -> None:
    """Write one file (a report) atomically; a disk's failure is a BuildError naming the path."""
    with disk_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content.encode("utf-8"))


def write_atomically(path: Path, content: bytes) -> None:
    """The one atomic write: `path` holds the old bytes or the new, never a part. A temporary file
    beside it (opened without following a symbolic link), then os.replace; raises OSError, and the
    temporary file never stays behind."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise

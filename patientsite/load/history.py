"""When a source file last changed: the date an out-of-date notice gives ("This page was updated in
Italian on ..."), which is when the Italian changed, not when it was last medically reviewed.

- In a git checkout, for a file that is committed and unchanged since: the date of the last commit
  that changed it (`git log -1 --format=%cs -- FILE`), the same on every clone and machine.
- Otherwise (no git, not a checkout, or the file has changes not committed yet): the day the file
  was last modified (its mtime, in UTC): the edit is that recent.
- Never earlier than the day the translation was marked current (the lock's `marked:`): the source
  changed after that, whatever a copy's file times say.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

GIT_TIMEOUT = 10     # seconds; a git that hangs does not hold up the build


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def committed_on(root: Path, rel: str) -> datetime.date | None:
    """The date of the last commit that changed `rel`, if it is committed and unchanged since; else None."""
    if _git(root, "status", "--porcelain", "--", rel) != "":      # None: no git or not a checkout
        return None
    found = _git(root, "log", "-1", "--format=%cs", "--", rel)
    try:
        return datetime.date.fromisoformat(found) if found else None
    except ValueError:
        return None


def modified_on(root: Path, rel: str) -> datetime.date | None:
    try:
        stamp = (root / rel).stat().st_mtime
    except OSError:
        return None
    return datetime.datetime.fromtimestamp(stamp, datetime.UTC).date()


def source_changed_on(root: Path, rel: str, marked: datetime.date | None) -> datetime.date | None:
    """The day the source file `rel` last changed (see the module's docstring), at least `marked`."""
    found = committed_on(root, rel) or modified_on(root, rel)
    if found is None or (marked is not None and found < marked):
        return marked
    return found


def notice_date(root: Path, units, fallback: datetime.date) -> datetime.date:
    """The date an out-of-date notice gives for the stale `units` (translation.UnitState): the latest
    day one of their sources changed; `fallback` when none is known."""
    found = [source_changed_on(root, unit.source.path, unit.entry.marked if unit.entry else None) for unit in units]
    known = [day for day in found if day is not None]
    return max(known) if known else fallback

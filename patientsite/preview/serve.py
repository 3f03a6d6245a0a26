"""`python build.py serve [--port 8000]`: a live preview of every language on 127.0.0.1.

A burst of saves gives one rebuild, then livereload reloads the open tabs. The first build, and one
after an edit that changes what many pages show (a template, site.yaml, a new page, a title), is the
full build into a temporary folder swapped in at once; after an edit of a page's text, a fact or its
words the same build starts from the last one's result (`pipeline.build(previous=, changed=)`): only
the pages that show the edit are rendered again, and each changed file is replaced atomically,
byte-identical to the full build. When a build fails the server keeps running:
every HTML page answers with an error page naming each problem's `path:line` with the source lines
around it, and the terminal shows the error once. The next good build reloads the tabs into the
pages again.
"""

from __future__ import annotations

import gc
import os
import stat
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from patientsite.errors import BuildError, Problem, count
from patientsite.pipeline import BuildResult, build
from patientsite.preview.changeplan import changed_files
from patientsite.preview.server import PreviewApp, bind, error_page, preview_server, source_excerpt  # noqa: F401

WATCHED = ("content", "templates", "site.yaml")
# A save is seen within POLL_SECONDS and built once nothing changed for QUIET_SECONDS (looked at again
# then): an edit shows about 0.1 s after it plus its rebuild. A poll stats every watched file (3,000 in
# 10 ms).
POLL_SECONDS = 0.1
QUIET_SECONDS = 0.05         # a burst of saves is over when nothing changed for this long


# -- the build and its outcome ------------------------------------------------------------------
class Preview:
    """One preview's state: where the site is built, and why the last build failed (None if it did not)."""

    def __init__(self, root: Path, out: Path, echo: Callable[[str], None]):
        self.root, self.out, self.echo = root, out, echo
        self.failure: BuildError | None = None
        self.warnings: tuple[Problem, ...] = ()      # the last ones printed: each is said once
        self.last: BuildResult | None = None   # the last good build, to build from
        self.signatures: dict[str, tuple[int, int]] = {}   # the watched files when it started
        self.base_url = ""          # the published site's address (its 404 page links to it)

    def rebuild(self, changed: tuple[str, ...] = (), signatures: dict | None = None) -> bool:
        """Build into `out`; keep the last good site and remember the problems if it fails.
        `signatures`: the watched files' `snapshot` if the caller has just taken one."""
        started = time.perf_counter()
        cause = f"{', '.join(changed[:3])}{' ...' if len(changed) > 3 else ''} changed: " if changed else ""
        stamp = time.strftime("%H:%M:%S")
        previous = self.failure
        try:
            built, files, warnings = self._build(changed, signatures)
        except BuildError as exc:
            self.failure = exc
        except Exception as exc:  # a bug in the generator: keep serving, show it
            self.echo(traceback.format_exc())
            self.failure = BuildError("building the site", [Problem(
                "(the generator)", None, None, f"internal error: {type(exc).__name__}: {exc}",
                "This is a bug in the generator, not in your files: report it with the traceback "
                "printed in the terminal.")])
        else:
            self.failure = None
            for warning in warnings if warnings != self.warnings else ():
                self.echo(f"warning: {warning}")
            same = f"; {count(len(warnings), 'warning')} as before" if warnings == self.warnings != () else ""
            self.warnings = warnings
            self.echo(f"[{stamp}] {cause}built {built} in {(time.perf_counter() - started) * 1000:.0f} ms"
                      f"{files}{same}" + ("; fixed" if previous else ""))
            return True
        if previous is not None and str(previous) == str(self.failure):
            self.echo(f"[{stamp}] {cause}the build still fails with the same {count(len(self.failure.problems), 'error')}")  # noqa: E501
        else:
            self.echo(f"[{stamp}] {cause}the build failed; the browser shows the errors until they are fixed\n"
                      f"{self.failure}")
        return False

    def _build(self, changed: tuple[str, ...], signatures) -> tuple[str, str, tuple[Problem, ...]]:
        """The build from the last good one (`pipeline.build(previous=, changed=)`: it follows with
        the full build when the change needs it); a full build if there is none, or if a bug
        stopped the build from the previous one. Returns what was built, what was written and the
        warnings, for the terminal."""
        if signatures is None:
            signatures = snapshot(self.root, [self.root / name for name in WATCHED])
        result = None
        if self.last is not None:
            try:
                result = build(self.root, self.out, previous=self.last,
                               changed=changed_files(self.signatures, signatures, changed))
            except BuildError:
                raise
            except Exception:  # a bug in the build from the previous one: say it, and build everything
                self.echo(traceback.format_exc())
        if result is None:
            self.last = None
            gc.unfreeze()       # (see below)
            result = build(self.root, self.out)
        self.base_url = result.site.config.base_url
        full = result.written is None
        # a file changed while building: the next build is a full one
        self.last = result if snapshot(self.root, [self.root / name for name in WATCHED]) == signatures else None
        self.signatures = signatures
        if full:
            # the last build's objects were frozen (below): unfrozen, the collector can free their cycles
            # (compiled templates, catalogues); frozen, each full rebuild would keep ~200 KB for ever
            gc.unfreeze()
            gc.collect()
            if self.last is not None:
                # the kept site is long-lived: leave it out of the cyclic garbage collector's passes,
                # which would otherwise stall rebuilds for tens of milliseconds as it grows
                gc.freeze()
        if full:
            return count(len(result.files), "file"), "", result.warnings
        return (count(len(result.redone), "page"), f", wrote {count(len(result.written or ()), 'file')}",
                result.warnings)


# -- watching the files ---------------------------------------------------------------------------
def _ignored(name: str) -> bool:
    """Editors' temporary and backup files."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913"


def snapshot(root: Path, paths) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every watched file, by path relative to the project."""
    found: dict[str, tuple[int, int]] = {}
    for top in paths:
        rel = Path(top).relative_to(root).as_posix()
        try:
            info = os.stat(top)
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(info.st_mode):
            if not _ignored(Path(top).name):
                found[rel] = (info.st_mtime_ns, info.st_size)
            continue
        _scan_folder(str(top), rel + "/", found)
    return found


def _scan_folder(folder: str, prefix: str, found: dict) -> None:
    """What os.walk would list below `folder` (symbolic links to folders are not entered)."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        try:
            if entry.is_dir():
                if not entry.is_symlink():
                    _scan_folder(entry.path, prefix + entry.name + "/", found)
                continue
            if _ignored(entry.name):
                continue
            info = entry.stat()
        except FileNotFoundError:
            continue
        found[prefix + entry.name] = (info.st_mtime_ns, info.st_size)


def make_watcher(root: Path, on_change: Callable[[tuple[str, ...]], None], quiet: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
    """A livereload Watcher that acts once per burst of saves, when the files have been quiet for
    `quiet` seconds. (livereload's own `delay` only postpones the reload message, and its poller
    drops a second reload within 3 seconds; this one calls `on_change` and reloads the tabs itself.)"""
    from livereload.watcher import Watcher

    class DebouncedWatcher(Watcher):
        def __init__(self):
            super().__init__()
            for name in WATCHED:
                self.watch(str(root / name))
            self.seen = snapshot(root, self._tasks)     # what the last build saw
            self.pending: dict | None = None
            self.since = 0.0
            self.loop = None            # the IOLoop, once started: it looks again when a burst may be over
            self.looking_again = False

        def check(self) -> tuple[str, ...]:
            """The files changed since the last build, once the burst is over; else ()."""
            now = snapshot(root, self._tasks)
            if now == self.seen:
                self.pending = None
                return ()
            if now != self.pending:
                self.pending, self.since = now, clock()
                return ()
            if clock() - self.since < quiet:
                return ()
            changed = tuple(sorted(p for p in set(self.seen) | set(now) if self.seen.get(p) != now.get(p)))
            self.seen, self.pending = now, None
            return changed

        def poll(self) -> None:
            changed = self.check()
            if changed:
                on_change(changed)
            elif self.pending is not None and self.loop is not None and not self.looking_again:
                self.looking_again = True
                self.loop.call_later(max(0.0, self.since + quiet - clock()), self._look_again)

        def _look_again(self) -> None:
            self.looking_again = False
            self.poll()

        def start(self, callback) -> bool:
            from tornado.ioloop import IOLoop, PeriodicCallback

            self.loop = IOLoop.current()
            PeriodicCallback(self.poll, POLL_SECONDS * 1000).start()
            return True

    return DebouncedWatcher()

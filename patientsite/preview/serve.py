"""`python build.py serve [--port 8000]`: a live preview of every language on 127.0.0.1.

The operating system tells of each save (preview/watcher.py, through watchfiles: nothing is
polled); a burst of saves gives one rebuild, then livereload reloads the open tabs. The first build, and one
after an edit that changes what many pages show (a template, site.yaml, a new page, a title), is the
full build into a temporary folder swapped in at once; after an edit of a page's text, a fact or its
words the same build starts from the last one's result (`pipeline.build(previous=, changed=)`): only
the pages that show the edit are rendered again, and each changed file is replaced atomically. The
leaflets and search index of the edited language follow a second later (`gather_later`); then the
site is byte-identical to the full build. When a build fails the server keeps running:
every HTML page answers with an error page naming each problem's `path:line` with the source lines
around it, and the terminal shows the error once. The next good build reloads the tabs into the
pages again.
"""

from __future__ import annotations

import gc
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from patientsite.errors import BuildError, Interrupted, Problem, count
from patientsite.pipeline import BuildResult, build
from patientsite.preview.changeplan import changed_files
from patientsite.preview.server import PreviewApp, bind, error_page, preview_server, source_excerpt  # noqa: F401
from patientsite.preview.watcher import WATCHED, make_watcher, snapshot  # noqa: F401

GATHER_DELAY = 1.0     # seconds without a save before the leaflets and search index catch up with the pages


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
        self.lock = threading.RLock()          # one build at a time: a save's, or the gathering's
        self.timer_lock = threading.Lock()     # the timer alone (never held while building)
        self.timer: threading.Timer | None = None    # the gathering, waiting for quiet
        self.stop = threading.Event()          # set by a save (or the end): a gathering gives way at once
        self.closed = False                    # the preview is ending: nothing is gathered any more

    def gather_later(self, delay: float = GATHER_DELAY) -> None:
        """After a save the pages are built at once; what gathers them, each language's leaflet and
        search index (Pagefind: seconds on a large site), is made `delay` seconds after the save's
        build (`gather_now`), and a save meanwhile interrupts it. Never waits for a build."""
        with self.timer_lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(delay, self.gather_now)
            self.timer.daemon = True
            self.timer.start()

    def gather_now(self) -> None:
        """Bring the leaflets and search index up to date with the pages, if they are behind them."""
        with self.lock:
            last = self.last
            if not self.closed and not self.stop.is_set() and last is not None and last.state is not None \
                    and last.state.output.ungathered and self.failure is None:
                self.rebuild((), dict(self.signatures), gather=True)    # what a save changed is its own build

    def close(self) -> None:
        """The preview ends: no gathering starts, one under way stops, and none runs after this returns."""
        self.closed = True
        self.stop.set()
        with self.timer_lock:
            if self.timer is not None:
                self.timer.cancel()
        with self.lock:                        # a gathering under way has let go
            pass

    def rebuild(self, changed: tuple[str, ...] = (), signatures: dict | None = None, gather: bool = True) -> bool:
        """Build into `out`; keep the last good site and remember the problems if it fails.
        `signatures`: the watched files' `snapshot` if the caller has just taken one. Without
        `gather` (a save), a build from the previous one leaves the leaflets and search index for
        `gather_later`, and a gathering under way is interrupted."""
        if not gather:
            self.stop.set()                    # the gathering (if one runs) stops and lets go of the lock
            with self.timer_lock:
                if self.timer is not None:
                    self.timer.cancel()
        with self.lock:
            if not gather and not self.closed:
                self.stop.clear()              # only a save clears it: a gathering never hides a save's stop
            return self._rebuild(changed, signatures, gather)

    def _rebuild(self, changed: tuple[str, ...], signatures: dict | None, gather: bool) -> bool:
        started = time.perf_counter()
        cause = f"{', '.join(changed[:3])}{' ...' if len(changed) > 3 else ''} changed: " if changed else ""
        stamp = time.strftime("%H:%M:%S")
        previous = self.failure
        try:
            built, files, warnings = self._build(changed, signatures, gather)
        except Interrupted:                    # a save came: its build follows, and gathers later
            return False
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

    def _build(self, changed: tuple[str, ...], signatures, gather: bool = True) -> tuple[str, str, tuple[Problem, ...]]:
        """The build from the last good one (`pipeline.build(previous=, changed=)`: it follows with
        the full build when the change needs it); a full build if there is none, or if a bug
        stopped the build from the previous one. Returns what was built, what was written and the
        warnings, for the terminal."""
        if signatures is None:
            signatures = snapshot(self.root, [self.root / name for name in WATCHED])
        result, paths = None, changed_files(self.signatures, signatures, changed)
        if self.last is not None:
            try:
                result = build(self.root, self.out, previous=self.last, changed=paths, drafts=True,
                               gather=gather, stop=self.stop)
            except (BuildError, Interrupted):
                raise
            except Exception:  # a bug in the build from the previous one: say it, and build everything
                self.echo(traceback.format_exc())
        if result is None:
            self.last = None
            gc.unfreeze()       # (see below)
            result = build(self.root, self.out, drafts=True)     # the preview shows drafts, marked
        self.base_url = result.site.config.base_url
        full = result.written is None
        # a file the build read changed while it built: the next build is a full one. A build from the
        # previous one read only the changed files; any other file saved meanwhile is the watcher's next
        # report, which the next build reads (and a scan of every file costs a save 10-20 ms at 3,000 pages)
        read = [self.root / name for name in WATCHED] if full else [self.root / rel for rel in paths]
        expected = signatures if full else {rel: signatures[rel] for rel in paths if rel in signatures}
        self.last = result if snapshot(self.root, read) == expected else None
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
        built = count(len(result.redone), "page") if result.redone or not gather else "the leaflets and search index"
        return built, f", wrote {count(len(result.written or ()), 'file')}", result.warnings

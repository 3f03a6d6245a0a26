"""The preview's watcher: the operating system says which files were saved (inotify on Linux, FSEvents
on macOS, ReadDirectoryChangesW on Windows, through `watchfiles`); no file is polled.

Two listeners run in their own threads: one on `content/` and `templates/` with everything below them,
one on the project folder itself for `site.yaml` (a file watched directly would be lost when an editor
saves by renaming a new file over it). Each returns a burst of saves once nothing new happened for
`QUIET_MS`; the burst goes to the server's loop, which updates the signatures of just the reported
paths (a reported folder is scanned again) and calls `on_change` once with the files that changed.
Bursts that arrive while a rebuild runs are merged into the next one.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from livereload.watcher import Watcher

WATCHED = ("content", "templates", "site.yaml")
FOLDERS = ("content", "templates")         # watched with everything below them
QUIET_MS = 10            # a burst of saves is over when nothing new happened for this long
QUIET_VARIABLE = "PATIENTSITE_PREVIEW_QUIET_MS"   # sets it: more if an editor's "save all" gives several rebuilds
LONGEST_BURST_MS = 1000  # a burst still going on after this long is built anyway


def quiet_ms(environ) -> int | None:
    """The quiet time that ends a burst: $PATIENTSITE_PREVIEW_QUIET_MS (1 to 10000), else QUIET_MS;
    None if the variable is set to something else."""
    given = environ.get(QUIET_VARIABLE, "").strip()
    if not given:
        return QUIET_MS
    return int(given) if given.isascii() and given.isdigit() and 1 <= int(given) <= 10_000 else None


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


def updated(root: Path, seen: dict[str, tuple[int, int]], reported: Iterable[str]) -> dict[str, tuple[int, int]]:
    """`seen` after the files and folders at the `reported` paths (relative to `root`) changed."""
    now = dict(seen)
    for rel in reported:
        below = rel + "/"
        for path in [p for p in now if p == rel or p.startswith(below)]:
            del now[path]
        now.update(snapshot(root, [root / rel]))
    return now


def _watched(rel: str) -> bool:
    return rel in WATCHED or rel.startswith(tuple(name + "/" for name in FOLDERS))


class SaveWatcher(Watcher):
    """livereload's Watcher, told of saves by the operating system. `seen`: the watched files'
    signatures as the last `on_change` saw them."""

    def __init__(self, root: Path, on_change: Callable[[tuple[str, ...]], None], quiet_ms: int = QUIET_MS):
        super().__init__()
        self.root, self.on_change, self.quiet_ms = root, on_change, quiet_ms
        for name in WATCHED:
            self.watch(str(root / name))    # livereload's list; never examined, as start() returns True
        self.seen = snapshot(root, self._tasks)
        self.reported: set[str] = set()     # paths the system reported since the last look
        self.looking = False
        self.loop: Any = None                 # the tornado IOLoop on_change runs on, once started
        self.stopping = threading.Event()
        self.notifiers: list = []
        self.threads: list[threading.Thread] = []

    def backend(self) -> str:
        """How the system tells of changes: 'inotify', 'FSEvents', 'Windows', or 'polling' (never chosen)."""
        kinds = {"INotifyWatcher": "inotify", "FsEventWatcher": "FSEvents", "ReadDirectoryChangesWatcher": "Windows",
                 "KqueueWatcher": "kqueue", "PollWatcher": "polling"}
        found = {name for notifier in self.notifiers for kind, name in kinds.items() if kind in repr(notifier)}
        return ", ".join(sorted(found)) or "none"

    def start(self, callback=None, loop=None) -> bool:
        """Listen in the background; call `on_change` on `loop` (the current tornado IOLoop). Returns
        True, so livereload starts no polling of its own."""
        from tornado.ioloop import IOLoop
        from watchfiles._rust_notify import RustNotify

        if self.loop is not None:       # started already (livereload starts it again when it serves)
            return True
        self.loop = loop or IOLoop.current()
        folders = [str(self.root / name) for name in FOLDERS if (self.root / name).is_dir()]
        for paths, recursive in ((folders, True), ([str(self.root)], False)):
            if not paths:
                continue
            # force_polling=False: the system's notifications, whatever WATCHFILES_FORCE_POLLING says
            notifier = RustNotify(paths, False, False, 0, recursive, True)
            self.notifiers.append(notifier)
            thread = threading.Thread(target=self._listen, args=(notifier,), name="preview-watcher", daemon=True)
            self.threads.append(thread)
            thread.start()
        self.loop.add_callback(self.look, True)     # a save between the first snapshot and now
        return True

    def _listen(self, notifier) -> None:
        """One listener's thread: hand each burst to the loop."""
        while not self.stopping.is_set():
            changes = notifier.watch(LONGEST_BURST_MS, self.quiet_ms, 0, self.stopping)
            if isinstance(changes, set):
                self.loop.add_callback(self._arrived, {path for _, path in changes})
        notifier.close()

    def _arrived(self, paths: set[str]) -> None:
        """On the loop: note the paths; look once every burst queued behind a rebuild has arrived."""
        for path in paths:
            rel = self._relative(path)
            if rel is not None and _watched(rel):
                self.reported.add(rel)
        if self.reported and not self.looking:
            self.looking = True
            self.loop.add_callback(self.look)

    def _relative(self, path: str) -> str | None:
        for top in (str(self.root), str(self.root.resolve())):
            if path.startswith(top + os.sep):
                return Path(path[len(top) + 1:]).as_posix()
        return None

    def look(self, everything: bool = False) -> tuple[str, ...]:
        """Update `seen` with the reported paths (or every watched file) and call `on_change` with
        those whose signature changed; returns them."""
        self.looking = False
        reported, self.reported = self.reported, set()
        now = snapshot(self.root, self._tasks) if everything else updated(self.root, self.seen, reported)
        changed = tuple(sorted(p for p in set(self.seen) | set(now) if self.seen.get(p) != now.get(p)))
        self.seen = now
        if changed:
            self.on_change(changed)
        return changed

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=2)


def make_watcher(root: Path, on_change: Callable[[tuple[str, ...]], None], quiet_ms: int = QUIET_MS) -> SaveWatcher:
    return SaveWatcher(root, on_change, quiet_ms)

"""Our dev server's edit-to-page time: save a page (or facts.yaml), time until the rebuilt page is written.

With a serve command (patientsite/serve.py, or commands/serve.py) present, `build.py --root P serve`
runs as a subprocess; the page is watched in the serve command's output folder when the command takes
`--out`, else over HTTP. The server's log says what tells it of a save (the operating system, through
watchfiles, since issue 11) and how long each rebuild took: save-to-page minus the rebuild is the
watcher's delay plus the HTTP request. Without
a serve command, the time of a full `build` after the edit is measured instead, and labelled so.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import corpus
import layouts
from generators import PYTHON, BenchError, Generator

POLL_SECONDS = 0.002
HTTP_POLL_SECONDS = 0.005
EDIT_TIMEOUT = 60.0
START_TIMEOUT = 600.0


@dataclass
class EditTimes:
    mode: str                                   # how the times were taken
    page_ms: list[float] = field(default_factory=list)
    fact_ms: list[float] = field(default_factory=list)
    fact_pages: int = 0                         # output pages that use the edited fact
    rewritten: list[int] = field(default_factory=list)   # output files rewritten per fact edit (if known)
    watcher: str = ""                           # what tells the server of a save, as it says (if it says)
    page_rebuild_ms: list[float] = field(default_factory=list)   # the server's own rebuild times, from its log
    fact_rebuild_ms: list[float] = field(default_factory=list)


WATCHER_LINE = re.compile(r"told of each save by ([^)]+)\)")
BUILT_LINE = re.compile(r"^\[[0-9:]+\] (.*) changed: built .* in (\d+) ms", re.M)


def edit_page(path: Path, marker: str) -> None:
    """Append a paragraph carrying `marker` to a page's source, as an editor's save would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nModifica {marker}.\n", encoding="utf-8")


def serve_available(ours: Generator) -> bool:
    package = Path(ours.build_script()).parent / "patientsite"
    return (package / "serve.py").exists() or (package / "commands" / "serve.py").exists()   # before/after issue 11


def measure_edits(ours: Generator, plans, runs: int, timed_build) -> EditTimes:
    edited = plans[len(plans) // 2]
    users = [(lang, plan) for plan in plans if plan.uses(corpus.EDITED_FACT) for lang in corpus.LANGUAGES]
    if serve_available(ours):
        return _with_server(ours, plans, edited, users, runs)
    times = EditTimes("full `build` after the edit (patientsite/serve.py does not exist yet)", fact_pages=len(users))
    for run in range(runs):
        marker = f"serveedit{run}x"
        edit_page(ours.edited_source(edited), marker)
        seconds = timed_build(ours, warm=True).seconds
        _expect(ours.page_file(edited, "it"), marker)
        times.page_ms.append(seconds * 1000)
        before = {(lang, plan.index): _read(ours.page_file(plan, lang)) for lang, plan in users}
        (ours.root / "content" / "facts.yaml").write_text(layouts.edited_facts_yaml(run), encoding="utf-8")
        seconds = timed_build(ours, warm=True).seconds
        changed = sum(_read(ours.page_file(plans[index], lang)) != old for (lang, index), old in before.items())
        if users and changed != len(users):
            raise BenchError(f"the fact edit changed {changed} of the {len(users)} pages that use it")
        times.fact_ms.append(seconds * 1000)
    return times


def _with_server(ours: Generator, plans, edited, users, runs: int) -> EditTimes:
    port = _free_port()
    options = _serve_options(ours)
    out = ours.root / "serve-out"
    command = [PYTHON, ours.build_script(), "--root", str(ours.root), "serve"]
    if "--port" in options:
        command += ["--port", str(port)]
    if "--out" in options:
        command += ["--out", str(out)]
    for flag in ("--no-browser", "--no-open"):
        if flag in options:
            command.append(flag)
    by_file = "--out" in options
    how = f"file in {out.name}/" if by_file else f"HTTP on port {port}"
    times = EditTimes(f"`serve`: save to rebuilt page ({how})", fact_pages=len(users))
    log_path = ours.root / "serve.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(command, cwd=ours.root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def url(plan, lang):
            return f"http://127.0.0.1:{port}/{lang}/" + (f"{plan.slug(lang)}/" if plan.index else "")

        def page(plan, lang):
            if by_file:
                return out / ours.page_file(plan, lang).relative_to(ours.out)
            return url(plan, lang)

        pause = POLL_SECONDS if by_file else HTTP_POLL_SECONDS
        _wait_until(lambda: _get(page(edited, "it")) is not None, START_TIMEOUT, server, "the server to start", 0.1)
        time.sleep(1.0)
        for run in range(runs):
            marker = f"serveedit{run}x"
            started = time.perf_counter()
            edit_page(ours.edited_source(edited), marker)
            _wait_until(lambda marker=marker: marker in (_get(page(edited, "it")) or ""), EDIT_TIMEOUT, server,
                        "the edited page", pause)
            times.page_ms.append((time.perf_counter() - started) * 1000)
            time.sleep(1.0)
            times.page_rebuild_ms += _rebuilds(log_path, times)
        watched = users if by_file else users[:1]
        for run in range(runs if users else 0):
            before = {(lang, p.index): _get(page(p, lang)) for lang, p in watched}
            stamps = _stamps(out) if by_file else None
            started = time.perf_counter()
            (ours.root / "content" / "facts.yaml").write_text(layouts.edited_facts_yaml(run), encoding="utf-8")
            _wait_until(lambda before=before: all(_get(page(p, lang)) not in (None, before[(lang, p.index)])
                                                  for lang, p in watched),
                        EDIT_TIMEOUT, server, "the pages that use the edited fact", pause)
            times.fact_ms.append((time.perf_counter() - started) * 1000)
            time.sleep(1.0)
            times.fact_rebuild_ms += _rebuilds(log_path, times)
            if stamps is not None:
                after = _stamps(out)
                times.rewritten.append(sum(1 for path, stamp in after.items() if stamps.get(path) != stamp))
    finally:
        _stop(server)
        log.close()
    found = WATCHER_LINE.search(_read(log_path) or "")
    times.watcher = found.group(1) if found else "polling (the measured version names no watcher)"
    times.mode += f", told of a save by {times.watcher}"
    return times


def _rebuilds(log_path: Path, times: EditTimes) -> list[float]:
    """The rebuild times the server printed since the last call (one per edit, or more if it split a save)."""
    done = len(times.page_rebuild_ms) + len(times.fact_rebuild_ms)
    found = [float(ms) for _, ms in BUILT_LINE.findall(_read(log_path) or "")]
    return found[done:]


def _serve_options(ours: Generator) -> set[str]:
    help_text = subprocess.run([PYTHON, ours.build_script(), "--root", str(ours.root), "serve", "--help"],
                               capture_output=True, text=True, timeout=60).stdout
    return {word.strip("[],") for word in help_text.split() if word.startswith(("--", "[--"))}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(where) -> str | None:
    if isinstance(where, Path):
        return _read(where)
    try:
        with urllib.request.urlopen(where, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in folder.rglob("*.html") if folder.is_dir() else ():
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        found[str(path.relative_to(folder))] = (status.st_ino, status.st_mtime_ns)
    return found


def _wait_until(condition, timeout: float, server: subprocess.Popen, what: str, pause: float) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if server.poll() is not None:
            raise BenchError(f"the serve command exited (code {server.returncode}) while waiting for {what}")
        if time.perf_counter() > deadline:
            raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(pause)


def _expect(path: Path, marker: str) -> None:
    if marker not in (_read(path) or ""):
        raise BenchError(f"{path} does not show the edit ({marker})")


def _stop(server: subprocess.Popen) -> None:
    """Stop the serve command and what it started (its own process group, by its id)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

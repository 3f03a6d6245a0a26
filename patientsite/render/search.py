"""Search: a search page per language, and Pagefind's index of every published page.

`search_pages` renders `<lang>/search/index.html` (templates/search.html): a form that works without
script (it lists every page of the language and says that search needs JavaScript) and the site's own
small script, `static/search.js`, which asks Pagefind. `index_site` runs Pagefind's binary (PyPI
`pagefind[extended]`) over the rendered pages, in memory as far as the build goes: the pages are written
to a temporary folder (TMPDIR; a full disk there is a message, like one in the output folder), Pagefind
indexes them there, and its files join the output under `pagefind/`. The pages are indexed as
published (render/assets.py), the same in a full build and in one from the previous build.

What is indexed: the pages of `site.pages` only (never the chooser, the 404 pages or the search pages),
and of each only the element marked `data-pagefind-body` (the page's `<main>`, without "On this page").
Pagefind keeps one index per `<html lang>`, with that language's stemming (Italian, English and Russian
among them), and a search page loads the index of its own language: results are in the reader's
language only. Pagefind's ready-made interfaces are left out (not checked against the site's strict
Content-Security-Policy; the site's own script builds the results from text, with the site's
stylesheet). Pagefind lists its languages in `pagefind-entry.json` in a different order on each run;
the build writes that file with sorted keys, so two builds of the same files are byte-identical.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from threading import Event

from patientsite.errors import Interrupted, Problems
from patientsite.model.site import Site
from patientsite.render.page import SEARCH_SLUG, PageRenderer, relative_url
from patientsite.write import disk_errors

SEARCH_DIR = "pagefind"          # Pagefind's script and index, at the site's root
ENTRY = "pagefind-entry.json"    # Pagefind's list of languages: written again with sorted keys
# Pagefind's ready-made interfaces and playground: not published (static/search.js is the site's own)
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.js", "playground/")
STAGE = "indexing the site for search"
INSTALL_HINT = ("Install the search indexer with the project: pip install -e . (it needs the package "
                "'pagefind[extended]'); PAGEFIND_BINARY_PATH may name another Pagefind binary.")


def search_url(site: Site, language: str) -> str:
    """The site path of a language's search page."""
    return site.home(language).url + SEARCH_SLUG


def search_pages(site: Site, renderers: Mapping[str, PageRenderer]) -> list[tuple[str, bytes]]:
    """Each language's search page (templates/search.html), with the header of every page."""
    files = []
    for lang in site.config.languages:
        renderer = renderers[lang.code]
        url = search_url(site, lang.code)
        home = site.home(lang.code)
        alternates = [(other, {"language": other.code}, relative_url(url, search_url(site, other.code)))
                      for other in site.config.languages]
        html = renderer.env.get_template("search.html").render(
            lang=lang, config=site.config, clinic=site.config.clinic, page={"key": "", "language": lang.code},
            root=relative_url(url, "")[: -len("index.html")], alternates=alternates,
            nav=[(p, relative_url(url, p.url)) for p in site.nav(lang.code)],
            home_url=relative_url(url, home.url), search_url=relative_url(url, url))
        files.append((url + "index.html", html.encode("utf-8")))
    return files


def index_site(site: Site, files: Mapping[str, bytes], languages: Collection[str] | None = None,
               cache=None, stop: Event | None = None) -> Iterator[tuple[str, bytes]]:
    """Pagefind's index of the site's pages (`files`: output path -> the page as published, read
    when asked), its files under pagefind/, one language's after another (take each as it comes: the
    parent holds no language's index while Pagefind indexes the next), `pagefind-entry.json` last.
    Pagefind indexes each language apart; it runs once per language (a third of the memory), and the
    languages' lists are joined into one `pagefind-entry.json`. With `languages` (a build from the
    previous one): only those languages are indexed again, and `files` must hold the previous index,
    whose list keeps the other languages (read at once). `cache` (a RenderCache): a language's index
    by the bytes of its pages, so an unchanged language is not indexed again. Raises BuildError when
    Pagefind is missing or fails, Interrupted when `stop` is set while it runs (Pagefind is stopped)."""
    entry = json.loads(files[f"{SEARCH_DIR}/{ENTRY}"]) if languages is not None else None
    codes = [lang.code for lang in site.config.languages if languages is None or lang.code in languages]
    return _indexed(site, files, codes, entry, cache, stop)


def _indexed(site: Site, files: Mapping[str, bytes], codes: list[str], entry: dict | None, cache,
             stop: Event | None) -> Iterator[tuple[str, bytes]]:
    entry_path = f"{SEARCH_DIR}/{ENTRY}"
    given: dict[str, str] = {}      # a file every language's index has (pagefind.js): once, unless it differs
    for code in codes:
        for path, content in _index_language(site, files, code, cache, stop):
            if path == entry_path:
                found = json.loads(content)
                if entry is None:
                    entry = found
                else:
                    entry["languages"].update(found["languages"])
            elif given.get(path) != (digest := hashlib.sha256(content).hexdigest()):
                given[path] = digest
                yield path, _shared(path, content)
    yield entry_path, _sorted_entry(json.dumps(entry).encode("utf-8"))


def _index_language(site: Site, files: Mapping[str, bytes], code: str, cache,
                    stop: Event | None = None) -> list[tuple[str, bytes]]:
    """Pagefind's files for the pages of one language: from the cache, else made and kept there.
    `stop` is looked at for every page read or copied, and while Pagefind runs; with it (the preview),
    the temporary copy is removed in the background, so that a save does not wait for that."""
    pages = []
    for page in site.pages:
        if page.language == code:
            _give_way(stop)
            pages.append((page.output_path, files[page.output_path]))
    key = hashlib.sha256(_pagefind_version().encode()).hexdigest()
    for path, content in pages:
        key = hashlib.sha256(f"{key} {path} {hashlib.sha256(content).hexdigest()}".encode()).hexdigest()
    entry = cache.get(key) if cache is not None else None
    kept = _unpack(entry) if entry is not None else None
    if kept is not None and all(_is_index_path(path) for path, _ in kept):   # never a path out of pagefind/
        return kept
    with disk_errors(Path(tempfile.gettempdir())):
        temp = Path(tempfile.mkdtemp(prefix="patientsite-search-"))
        try:
            source, index = temp / "site", temp / "index"
            for path, content in pages:
                _give_way(stop)
                (source / path).parent.mkdir(parents=True, exist_ok=True)
                (source / path).write_bytes(content)
            del pages
            _run_pagefind(source, index, stop)
            found = sorted(p for p in index.rglob("*") if p.is_file())
            made = [(f"{SEARCH_DIR}/{p.relative_to(index).as_posix()}", p.read_bytes()) for p in found
                    if not p.relative_to(index).as_posix().startswith(UNUSED)]
        finally:
            if stop is None:
                shutil.rmtree(temp, ignore_errors=True)
            else:    # not a daemon: the process waits for it before it ends
                threading.Thread(target=shutil.rmtree, args=(temp, True), name="search-cleanup").start()
    if cache is not None:
        cache.put(key, _pack(made))
    return made


def _give_way(stop: Event | None) -> None:
    if stop is not None and stop.is_set():
        raise Interrupted()


def _is_index_path(path: str) -> bool:
    parts = path.split("/")
    return len(parts) >= 2 and parts[0] == SEARCH_DIR and all(part not in ("", ".", "..") for part in parts)


def _pack(files: list[tuple[str, bytes]]) -> bytes:
    """Files as one cache entry: for each, its path's length, path, content's length, content."""
    return b"".join(len(path.encode()).to_bytes(4, "big") + path.encode() + len(content).to_bytes(4, "big") + content
                    for path, content in files)


def _unpack(entry: bytes) -> list[tuple[str, bytes]] | None:
    """The files of an entry, or None when it is not one (the cache's checksum guards the bytes)."""
    files, at = [], 0
    try:
        while at < len(entry):
            size = int.from_bytes(entry[at:at + 4], "big")
            path = entry[at + 4:at + 4 + size].decode()
            at += 4 + size
            size = int.from_bytes(entry[at:at + 4], "big")
            if at + 4 + size > len(entry):
                return None
            files.append((path, entry[at + 4:at + 4 + size]))
            at += 4 + size
    except UnicodeDecodeError:
        return None
    return files


def _pagefind_version() -> str:
    """Which Pagefind makes the index: the package's version, or the binary named by PAGEFIND_BINARY_PATH."""
    try:
        version = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        version = "absent"
    return f"{version} {os.environ.get('PAGEFIND_BINARY_PATH', '')}"


def index_language(path: str) -> str | None:
    """The language a file of Pagefind's index belongs to (its name starts `<lang>_`), else None."""
    name = path.rsplit("/", 1)[-1].removeprefix("pagefind.")
    return name.split("_", 1)[0] if path.startswith(SEARCH_DIR + "/") and "_" in name else None


_ASSETS: dict[bytes, bytes] = {}     # Pagefind's script and WebAssembly, as read first in this process


def _shared(path: str, content: bytes) -> bytes:
    """Pagefind's script, worker and WebAssembly files are the same in every build: one copy of each in
    memory for all builds of a process (the preview keeps its last build's files; not one copy more per
    rebuild). The index files, named by their content, change with the pages and are not kept."""
    name = path.rsplit("/", 1)[-1]
    if name in ("pagefind.js", "pagefind-worker.js") or name.startswith("wasm."):
        return _ASSETS.setdefault(content, content)
    return content


def _run_pagefind(source: Path, index: Path, stop: Event | None = None) -> None:
    problems = Problems(STAGE)
    try:
        from pagefind.service import get_executable  # pagefind[extended]'s binary, or PAGEFIND_BINARY_PATH
        binary = get_executable()
    except (ImportError, OSError):
        binary = None
    if binary is None or not binary.is_file():
        problems.error(str(binary or "pagefind"), None, "the Pagefind binary that indexes the site for search "
                       "is not installed", INSTALL_HINT)
        problems.raise_if_any()
    command = [str(binary), "--site", str(source), "--output-path", str(index), "--keep-index-url", "--silent"]
    release_freed_memory()      # Pagefind takes 200 MB beside this process for 1,000 pages
    try:
        code, out, err = _run(command, stop)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problems.error(str(binary), None, f"Pagefind could not index the site: {exc}", INSTALL_HINT)
    else:
        if code != 0 or not (index / ENTRY).is_file():
            said = [line.strip() for line in (err or out).splitlines() if line.strip()][-5:]
            problems.error(str(binary), None, f"Pagefind could not index the site (exit {code}): "
                           + (" / ".join(said) or "no message"), INSTALL_HINT)
    problems.raise_if_any()


def release_freed_memory() -> None:
    """Give the pages the C allocator holds free (the leaflets' and pages' text, freed) back to the
    system: glibc's malloc keeps them otherwise (26 MB of the parent's 163 MB at N = 1000). Nothing
    where the C library has no malloc_trim (it is glibc's)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def _run(command: list[str], stop: Event | None, timeout: float = 600.0) -> tuple[int, str, str]:
    """Run `command`: (exit code, output, errors); stopped, and Interrupted raised, when `stop` is set."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace") as process:
        deadline = time.monotonic() + timeout
        while True:
            try:
                out, err = process.communicate(timeout=0.02 if stop is not None else timeout)
                return process.returncode, out, err
            except subprocess.TimeoutExpired:
                if stop is not None and stop.is_set():
                    process.kill()
                    process.communicate()
                    raise Interrupted() from None
                if time.monotonic() > deadline:
                    process.kill()
                    process.communicate()
                    raise


def _sorted_entry(content: bytes) -> bytes:
    """pagefind-entry.json with its keys sorted (Pagefind writes its languages in a random order)."""
    return json.dumps(json.loads(content), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

"""The render stage, `render_site`: a frozen `Site` -> every output file, written into the new site's
folder as it is made (a full build) or returned when its bytes changed (a build from the previous
one); the pages from the render cache where their digest has an entry, the others on every core (a
fork pool whose workers die with the build, each writing the pages it renders). One page's rendering
is render/page.py."""

from __future__ import annotations

import datetime
import gc
import hashlib
import multiprocessing
import os
import signal
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from threading import Event
from types import MappingProxyType

from patientsite.errors import Problem, Problems
from patientsite.model.site import Site
from patientsite.render.assets import BRAND_CSS, COMPRESSED, Publishing
from patientsite.render.cache import RenderCache, templates_digest
from patientsite.render.hosting import alias_pages, host_files
from patientsite.render.leaflet import render_leaflets
from patientsite.render.page import PageRenderer
from patientsite.render.search import SEARCH_DIR, index_language, index_site
from patientsite.render.sitefiles import brand_css, site_files, static_files
from patientsite.render.templateerror import located


@dataclass(frozen=True)
class Output:
    files: Mapping[str, str]                 # every published path -> the sha256 of its bytes
    changed: Mapping[str, bytes]             # the files still to be written (those not written into `into`)
    warnings: tuple[Problem, ...]
    rendered: tuple[str, ...] = ()           # the output paths of the pages rendered (not from the cache)
    redone: tuple[str, ...] = ()             # ... of the pages whose digest changed (rendered or from the cache)
    render_seconds: tuple[tuple[str, float], ...] = ()   # language -> time spent rendering its pages
    # language code -> a warm PageRenderer of this site
    renderers: Mapping = field(default_factory=lambda: MappingProxyType({}))
    # each page's output path -> its digest
    records: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    publishing: Publishing = Publishing(MappingProxyType({}), "")   # the asset names the files were published with
    aliases: tuple[str, ...] = ()            # the redirect pages' paths (render/hosting.py)
    ungathered: frozenset[str] = frozenset()  # languages whose leaflet and search index are older than their pages


PARALLEL_MIN = 48   # below this many pages to render, one process is faster than forking
MARKDOWN_CACHE = 2048    # page bodies per language whose Markdown HTML the parent's renderers keep


def render_site(site: Site, templates_dir: Path, notices: Mapping[tuple[str, str], datetime.date],
                records: Mapping[str, str], cache: RenderCache | None = None, jobs: int = 0, *,
                into: Path | None = None, previous: Output | None = None,
                templates: str = "", out: Path | None = None, with_pdf: bool = False, gather: bool = True,
                stop: Event | None = None) -> Output:
    """The render stage. `records`: each page's output path -> its digest (cache.page_digest).
    Without `previous`: every page (from the cache where its digest has an entry), the language
    chooser, the 404 and search pages, the leaflets (render/leaflet.py, linking their PDF when
    `with_pdf`: render/pdf.py), sitemap, robots.txt, `brand.css`, `static/`, the search index
    (render/search.py), the redirect pages and the host's files (render/hosting.py), each published as
    it is made (render/assets.py: fingerprinted names, .gz and .br) and written into `into` (workers
    write the pages they render), returned by sha256 only. With `previous` (the output of the last
    build of this site's structure, written in `out`): only the pages whose digest changed, the
    leaflets and search index of their languages, the redirect pages and the host's files, returned in
    `changed` when their bytes differ; without `gather` (the preview, right after a save), the leaflets
    and search index of the languages redone are left as they were, for the next build that gathers
    (`Output.ungathered`); `stop` (set by the preview's next save) interrupts that gathering
    (`Interrupted`). `templates`: the templates_digest the records were made with
    (the rendered pages are cached only if it still holds). (Review dates and unsafe markup are the
    page checks' stage, checks/pages.py, which runs before.)"""
    problems = Problems("rendering")
    static = static_files(templates_dir) if previous is None else ()
    publishing = Publishing.of([*static, (BRAND_CSS, brand_css(site))], site.config.base_url) \
        if previous is None else previous.publishing
    if previous is None:
        renderers = page_renderers(site, templates_dir, notices, MARKDOWN_CACHE)
        todo, before = list(range(len(site.pages))), {}
    else:
        renderers = {code: renderer.rebind(site, notices) for code, renderer in previous.renderers.items()}
        todo = [i for i, page in enumerate(site.pages)
                if previous.records.get(page.output_path) != records[page.output_path]]
        before = dict(previous.files)
    files: dict[str, str] = {} if previous is None else dict(previous.files)
    changed: dict[str, bytes] = {}

    encodings = cache.beside("encodings") if cache is not None else None     # .gz and .br, by content

    def put(path: str, content: bytes, as_published: bool = False) -> None:
        for name, published in publishing.publish(path, content, encodings, as_published):
            sha = hashlib.sha256(published).hexdigest()
            if into is not None:
                _write_into(into, name, published)
            elif before.get(name) != sha:
                changed[name] = published
            files[name] = sha

    rendered, seconds = _pages(site, templates_dir, notices, records, todo, cache, jobs, renderers, into, put,
                               files, problems, templates or templates_digest(templates_dir), (publishing, encodings))
    if previous is None:
        for path, content in [*site_files(site, renderers, templates_dir, problems), *static]:
            put(path, content)
    folder = into if into is not None else out
    published = RenderedFiles(folder, files, changed) if folder is not None else None
    # what gathers the pages: each language's leaflet (from the pages' bodies) and search index; every
    # language's, or those of the pages redone (and those left before), or none yet (not `gather`)
    redone = {site.pages[i].language for i in todo}
    ungathered = frozenset() if previous is None else previous.ungathered | redone
    gathered = None if previous is None else ungathered if gather else frozenset()
    if published is not None and (gathered is None or gathered):
        with located(problems, None, templates_dir):
            for path, chunks in render_leaflets(site, renderers, published, problems, with_pdf, gathered,
                                                cache.beside("leaflet") if cache is not None else None, stop,
                                                keep_parts=previous is not None):
                if into is None:
                    put(path, b"".join(publishing.rewritten_pieces(path, chunks)), as_published=True)
                else:       # a 10 MB page: written and hashed piece by piece, compressed from the file
                    files.update(publishing.publish_into(into, path, chunks, encodings))
        if not problems.errors:
            made = index_site(site, published, gathered, cache.beside("search") if cache is not None else None, stop)
            _forget(files, [path for path in files if path.startswith(SEARCH_DIR + "/")
                            and (gathered is None or index_language(path) in gathered)])
            for path, content in made:      # the index of the pages as published
                put(path, content)
        ungathered = frozenset()
    redirects = alias_pages(site)
    if previous is not None:
        _forget(files, previous.aliases)
    for path, content in redirects:
        put(path, content)
    for path, content in host_files(site, [p for p in files if not p.endswith(COMPRESSED)]):
        put(path, content)
    problems.raise_if_any()
    return Output(MappingProxyType(files), MappingProxyType(changed), problems.warnings_tuple(), rendered,
                  tuple(site.pages[i].output_path for i in todo), tuple(sorted(seconds.items())),
                  MappingProxyType(renderers), records, publishing, tuple(path for path, _ in redirects), ungathered)


def _forget(files: dict[str, str], paths) -> None:
    """Leave `paths` and their .gz and .br out of `files` (they are made again, or are gone)."""
    for path in list(paths):
        for name in (path, *(path + suffix for suffix in COMPRESSED)):
            files.pop(name, None)


class RenderedFiles(Mapping):
    """The files rendered so far, by output path: the bytes of those still to be written (`changed`),
    else read from `folder` (the new site's folder, or the site a build from the previous one updates)."""

    def __init__(self, folder: Path, files: Mapping[str, str], changed: Mapping[str, bytes]):
        self.folder, self.files, self.changed = folder, files, changed

    def __getitem__(self, path: str) -> bytes:
        if path in self.changed:
            return self.changed[path]
        if path not in self.files:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __iter__(self):
        return iter(sorted(self.files))

    def __len__(self) -> int:
        return len(self.files)


def _write_into(folder: Path, path: str, content: bytes) -> None:
    target = folder / path
    try:
        target.write_bytes(content)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _pages(site: Site, templates_dir: Path, notices, records: Mapping[str, str], todo: list[int],
           cache: RenderCache | None, jobs: int, renderers: dict, into: Path | None, put, files: dict,
           problems: Problems, templates: str, publish: tuple) -> tuple[tuple[str, ...], dict]:
    """The pages at `todo`: from the cache where a whole entry for its digest (and the asset names
    it was published with) is found, else rendered (on all cores when many). The rendered pages are
    stored only when the build has no error and the templates are the ones the digests were made of
    (a template saved while rendering is not cached)."""
    missing = []
    keys = {index: _cache_key(records[site.pages[index].output_path], publish[0]) for index in todo}
    for index in todo:
        page = site.pages[index]
        content = cache.get(keys[index]) if cache is not None else None
        if content is None:
            missing.append(index)
        else:
            put(page.output_path, content, as_published=True)     # the cache keeps pages as published
    seconds: dict[str, float] = {}
    fresh = []
    # the parent renders few pages itself, on its warm renderers; workers write theirs into `into`
    for rendered, errors, warnings, spent in render_pages(site, templates_dir, notices, missing, jobs, renderers,
                                                          into=into, publish=publish):
        problems.errors.extend(errors)
        problems.warnings.extend(warnings)
        for language, value in spent.items():
            seconds[language] = seconds.get(language, 0.0) + value
        for index, shas, content in rendered:
            path = site.pages[index].output_path
            if content is None:
                files.update(shas)           # written by a worker, published (with its .gz and .br)
            else:
                put(path, content)
            fresh.append((index, content))
    if cache is not None and not problems.errors and templates_digest(templates_dir) == templates:
        for index, content in fresh:
            path = site.pages[index].output_path
            cache.put(keys[index], publish[0].rewritten(path, content) if content is not None
                      else (into / path).read_bytes())                  # as published
        warning = cache.warning()
        if warning is not None:
            problems.warnings.append(warning)
    return tuple(site.pages[i].output_path for i in missing), seconds


def _cache_key(record: str, publishing: Publishing) -> str:
    """A page's cache entry: its dependency digest and the asset names its references carry."""
    return hashlib.sha256(f"{record} {publishing.digest}".encode()).hexdigest()


def render_pages(site: Site, templates_dir: Path, notices, indices, jobs: int = 0, renderers=None,
                 parallel_min: int | None = None, into: Path | None = None,
                 publish: tuple | None = None) -> list[tuple[list, list, list, dict]]:
    """Render the pages at `indices` of `site.pages`: per process, ([(index, sha256, bytes)], errors,
    warnings, {language: seconds spent rendering}); on every core when there are at least
    `parallel_min` (default PARALLEL_MIN), each worker publishing its pages into `into` when given,
    with `publish` (Publishing, RenderCache or None: render/assets.py), as ([(index, [(published path,
    sha256)], None)], ...): the parent never holds them all.
    `renderers` (language code -> a `PageRenderer` for this site and notices) keeps the compiled
    templates of an earlier call; it is used in this process only."""
    jobs = jobs or len(os.sched_getaffinity(0))
    parallel_min = PARALLEL_MIN if parallel_min is None else parallel_min
    if jobs > 1 and len(indices) >= parallel_min and "fork" in multiprocessing.get_all_start_methods():
        chunks = [indices[start::jobs * 4] for start in range(min(jobs * 4, len(indices)))]
        context = multiprocessing.get_context("fork")
        # the parent's objects out of the collector's reach while the workers run: its passes in a
        # worker would touch (and so copy) every page of memory the worker shares with the parent
        gc.freeze()
        try:
            with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                     initargs=(os.getpid(), site, templates_dir, notices, into, publish)) as pool:
                return list(pool.map(_render_in_worker, chunks))
        finally:
            gc.unfreeze()
    return [_render_pages(site, templates_dir, notices, indices, renderers)]


def page_renderers(site: Site, templates_dir: Path, notices, markdown_cache: int = 0) -> dict[str, PageRenderer]:
    """A renderer for each language (each compiles its templates when first used), keeping the
    Markdown HTML of up to `markdown_cache` page bodies."""
    return {lang.code: PageRenderer(site, lang, templates_dir, Problems("rendering"), notices, markdown_cache)
            for lang in site.config.languages}


def _render_pages(site: Site, templates_dir: Path, notices, indices, renderers=None,
                  into: Path | None = None, publish: tuple | None = None) -> tuple[list, list, list, dict]:
    problems = Problems("rendering")
    if not renderers:         # a worker keeps the renderers it makes for its next chunks
        made = page_renderers(site, templates_dir, notices)
        if renderers is not None:
            renderers.update(made)
        renderers = made
    rendered: list = []
    seconds: dict[str, float] = {}
    for index in indices:
        page = site.pages[index]
        started = time.perf_counter()
        with located(problems, page, templates_dir):
            content = renderers[page.language].page(page)
            if into is None or publish is None:
                rendered.append((index, hashlib.sha256(content).hexdigest(), content))
            else:
                publishing, cache = publish
                shas = []
                for name, published in publishing.publish(page.output_path, content, cache):
                    _write_into(into, name, published)
                    shas.append((name, hashlib.sha256(published).hexdigest()))
                rendered.append((index, shas, None))
        seconds[page.language] = seconds.get(page.language, 0.0) + time.perf_counter() - started
    return rendered, problems.errors, problems.warnings, seconds


_worker_input: tuple = ()
_worker_renderers: dict = {}     # a worker's renderers: one Jinja environment and Markdown per language


def _start_worker(parent: int, site: Site, templates_dir: Path, notices, into: Path | None = None,
                  publish: tuple | None = None) -> None:
    global _worker_input  # one process, one build: set once when the pool forks
    _die_with(parent)
    _worker_input = (parent, site, templates_dir, notices, into, publish)
    _worker_renderers.clear()


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this worker when the build that forked it dies (Linux), and leave at
    once if it is already gone (it died before the request was made: the worker's parent is init)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):     # not Linux: the parent check before each chunk still holds
        pass
    if os.getppid() != parent:
        os._exit(1)


def _render_in_worker(indices) -> tuple[list, list, list, dict]:
    parent, site, templates_dir, notices, into, publish = _worker_input
    if os.getppid() != parent:      # the build is gone: nobody will read the result
        os._exit(1)
    return _render_pages(site, templates_dir, notices, indices, _worker_renderers, into, publish)



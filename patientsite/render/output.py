"""The render stage, `render_site`: a frozen `Site` -> every output file as bytes, nothing written yet;
the pages from the render cache where their inputs did not change, the others on every core (a fork
pool whose workers die with the build). One page's rendering is render/page.py."""

from __future__ import annotations

import datetime
import multiprocessing
import os
import signal
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from patientsite.errors import Problem, Problems
from patientsite.model.site import Site
from patientsite.render import structured
from patientsite.render.assets import BRAND_CSS  # the brand colour from site.yaml, as a CSS custom property
from patientsite.render.cache import RenderCache, folder_digest, page_digest, site_digests
from patientsite.render.hosting import robots_txt
from patientsite.render.leaflet import render_leaflets
from patientsite.render.page import PageRenderer
from patientsite.render.search import search_pages, search_url
from patientsite.render.templateerror import located


@dataclass(frozen=True)
class Output:
    files: tuple[tuple[str, bytes], ...]     # (output path, content), sorted by path
    warnings: tuple[Problem, ...]
    rendered: int = 0                        # pages rendered (not taken from the cache)
    render_seconds: tuple[tuple[str, float], ...] = ()   # language -> time spent rendering its pages


PARALLEL_MIN = 48   # below this many pages to render, one process is faster than forking


def render_site(site: Site, templates_dir: Path,
                notices: Mapping[tuple[str, str], datetime.date] = MappingProxyType({}),
                cache: RenderCache | None = None, jobs: int = 0, with_pdf: bool = False) -> Output:
    """Render every page, the language chooser, the 404 page, the leaflets (linking their PDF when
    `with_pdf`: render/pdf.py), sitemap and robots.txt. `notices`:
    (language, page key) -> the date of the Italian page a stale translation is behind. (Review dates
    and unsafe markup are the page checks' stage, checks/pages.py, which runs before.)"""
    problems = Problems("rendering")
    files, rendered, seconds = _cached_pages(site, templates_dir, notices, cache, jobs, problems)
    renderers = {lang.code: PageRenderer(site, lang, templates_dir, problems, notices)
                 for lang in site.config.languages}
    source = renderers[site.config.source_language.code]
    with located(problems, None, templates_dir):
        homes = [(lang, site.home(lang.code)) for lang in site.config.languages]
        site_path = urlsplit(site.config.base_url).path    # 404 pages link root-relative: any host, the preview
        choices = [renderers[lang.code].partial("partials/choose.html", home=home, url=home.url + "index.html")
                   for lang, home in homes]
        not_found = [renderers[lang.code].partial("partials/not_found.html", home=home,
                                                  url=site_path + home.url) for lang, home in homes]
        common = {"config": site.config, "root": "./", "homes": homes}
        files.append(("index.html", source.env.get_template("chooser.html").render(choices=choices, **common).encode()))
        files.append(("404.html", source.env.get_template("404.html").render(
            sections=not_found, **dict(common, root=site_path)).encode()))
        for lang, home in homes:
            files.append((f"{home.url}404.html", renderers[lang.code].env.get_template("404-language.html").render(
                lang=lang, config=site.config, clinic=site.config.clinic_in(lang.code), root=site_path,
                home_url=site_path + home.url, search_url=site_path + search_url(site, lang.code)).encode()))
        files.extend(search_pages(site, renderers))
        files.extend(render_leaflets(site, renderers, dict(files), problems, with_pdf))
        files.append(("sitemap.xml", source.env.get_template("sitemap.xml").render(
            site=site, base_url=site.config.base_url).encode()))
    files.append(("robots.txt", robots_txt(site.config.base_url)))
    files.append((BRAND_CSS, f":root {{ --brand: {site.config.clinic.brand_colour}; }}\n".encode()))
    files.extend(static_files(templates_dir))
    problems.raise_if_any()
    return Output(tuple(sorted(files)), problems.warnings_tuple(), rendered, tuple(sorted(seconds.items())))


def static_files(templates_dir: Path) -> list[tuple[str, bytes]]:
    """templates/static/ as it is, under static/."""
    static = templates_dir / "static"
    return [(f"static/{path.relative_to(static).as_posix()}", path.read_bytes())
            for path in (sorted(static.rglob("*")) if static.is_dir() else ()) if path.is_file()]


def _cached_pages(site: Site, templates_dir: Path, notices, cache: RenderCache | None, jobs: int,
                  problems: Problems) -> tuple[list[tuple[str, bytes]], int, dict]:
    """Every page: from the cache where a whole entry for its digest is found, else rendered (on all
    cores when many). The rendered pages are stored only when the build has no error and the
    templates are the ones the digests were made of (a template saved while rendering is not cached)."""
    files, todo, digests = [], [], {}
    common = site_digests(site, templates_dir) if cache is not None else None
    for index, page in enumerate(site.pages):
        if common is not None:
            shown = page.facts_used + structured.json_ld_facts(site, page)
            notice = notices.get((page.language, page.key))
            if page.state != "ready" or site.held.get(page.language):    # model/publish.py
                notice = (notice, page.state, sorted(site.held.get(page.language, ())))
            digests[index] = page_digest(site, page, common, shown, notice)
        content = cache.get(digests[index]) if cache is not None else None
        if content is None:
            todo.append(index)
        else:
            files.append((page.output_path, content))
    seconds: dict[str, float] = {}
    fresh = []
    for rendered, errors, warnings, spent in render_pages(site, templates_dir, notices, todo, jobs):
        problems.errors.extend(errors)
        problems.warnings.extend(warnings)
        for language, value in spent.items():
            seconds[language] = seconds.get(language, 0.0) + value
        for index, content in rendered:
            files.append((site.pages[index].output_path, content))
            fresh.append((index, content))
    if cache is not None and not problems.errors and folder_digest(templates_dir) == common.templates:
        for index, content in fresh:
            cache.put(digests[index], content)
        warning = cache.warning()
        if warning is not None:
            problems.warnings.append(warning)
    return files, len(todo), seconds


def render_pages(site: Site, templates_dir: Path, notices, indices, jobs: int = 0, renderers=None,
                 parallel_min: int | None = None) -> list[tuple[list, list, list, dict]]:
    """Render the pages at `indices` of `site.pages`: per process, ([(index, bytes)], errors,
    warnings, {language: seconds spent rendering}); on every core when there are at least
    `parallel_min` (default PARALLEL_MIN).
    `renderers` (language code -> a `PageRenderer` for this site and notices) keeps the compiled
    templates of an earlier call."""
    jobs = jobs or len(os.sched_getaffinity(0))
    parallel_min = PARALLEL_MIN if parallel_min is None else parallel_min
    if jobs > 1 and len(indices) >= parallel_min and "fork" in multiprocessing.get_all_start_methods():
        chunks = [indices[start::jobs * 4] for start in range(min(jobs * 4, len(indices)))]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                 initargs=(os.getpid(), site, templates_dir, notices, renderers)) as pool:
            return list(pool.map(_render_in_worker, chunks))
    return [_render_pages(site, templates_dir, notices, indices, renderers)]


def page_renderers(site: Site, templates_dir: Path, notices, markdown_cache: int = 0) -> dict[str, PageRenderer]:
    """A renderer for each language (each compiles its templates when first used), keeping the
    Markdown HTML of up to `markdown_cache` page bodies."""
    return {lang.code: PageRenderer(site, lang, templates_dir, Problems("rendering"), notices, markdown_cache)
            for lang in site.config.languages}


def _render_pages(site: Site, templates_dir: Path, notices, indices, renderers=None) -> tuple[list, list, list, dict]:
    problems = Problems("rendering")
    renderers = renderers or page_renderers(site, templates_dir, notices)
    rendered: list = []
    seconds: dict[str, float] = {}
    for index in indices:
        page = site.pages[index]
        started = time.perf_counter()
        with located(problems, page, templates_dir):
            rendered.append((index, renderers[page.language].page(page)))
        seconds[page.language] = seconds.get(page.language, 0.0) + time.perf_counter() - started
    return rendered, problems.errors, problems.warnings, seconds


_worker_input: tuple = ()


def _start_worker(parent: int, site: Site, templates_dir: Path, notices, renderers=None) -> None:
    global _worker_input  # one process, one build: set once when the pool forks
    _die_with(parent)
    _worker_input = (parent, site, templates_dir, notices, renderers)


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
    parent, site, templates_dir, notices, renderers = _worker_input
    if os.getppid() != parent:      # the build is gone: nobody will read the result
        os._exit(1)
    return _render_pages(site, templates_dir, notices, indices, renderers)



"""The build: one straight line of named stages over frozen values."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from patientsite.checks import review
from patientsite.checks.pages import check_pages
from patientsite.checks.translations import judge_translations
from patientsite.errors import Problem
from patientsite.load.config import load_config
from patientsite.load.content import load_content
from patientsite.load.facts import load_facts
from patientsite.load.i18n import load_catalogs
from patientsite.load.textfile import check_templates
from patientsite.load.translation import assess_translations
from patientsite.model.site import Site, assemble_site
from patientsite.render.cache import CACHE_DIR, RenderCache
from patientsite.render.output import render_site
from patientsite.render.report import review_report
from patientsite.render.search import index_site
from patientsite.write import check_output_folder, disk_errors, output_lock, write_file, write_site

REPORT_PATH = "reports/review.md"


@dataclass(frozen=True)
class BuildResult:
    site: Site
    out: Path
    files: tuple[tuple[str, bytes], ...]
    warnings: tuple[Problem, ...]
    seconds: float
    rendered: int = 0      # pages rendered rather than taken from the cache
    render_seconds: tuple[tuple[str, float], ...] = ()   # language -> time spent rendering its pages


def load_site(root: Path) -> Site:
    """Stages load + model: everything checked, nothing rendered."""
    templates = root / "templates"
    config = load_config(root)
    check_templates(templates)
    facts = load_facts(config)
    pages = load_content(config)
    catalogs = load_catalogs(config, templates)
    return assemble_site(config, facts, pages, catalogs, templates)


def build(root: Path, out: Path, *, use_cache: bool = True, jobs: int = 0) -> BuildResult:
    """Load, model, render, write. Raises BuildError; `out` is untouched unless all succeeds.
    With `use_cache`, pages whose inputs did not change come from `.cache/` (byte-identical); without,
    every page is rendered and the cache rewritten. A cache that cannot be written only warns."""
    started = time.perf_counter()
    with disk_errors(out):                     # an output folder that cannot even be listed
        check_output_folder(out, root)         # refused before any work, and again before the swap
    with output_lock(out):
        return _build(root, out, started, use_cache, jobs)


def _build(root: Path, out: Path, started: float, use_cache: bool, jobs: int) -> BuildResult:
    site = load_site(root)
    status = assess_translations(site.config, root / "templates")
    translations = judge_translations(site, status)                 # stale critical words fail here
    checked = check_pages(site.pages, site.config, review.today())  # overdue reviews fail here
    checked.raise_if_errors()
    cache = RenderCache(root / CACHE_DIR, read=use_cache)   # --no-cache: render all, rewrite every entry
    output = render_site(site, root / "templates", translations.notices, cache=cache, jobs=jobs)
    files = index_site(site, output.files)                         # the search index joins the pages
    write_site(files, out)
    write_file(root / REPORT_PATH, review_report(site))
    warnings = (site.config.warnings + site.facts.warnings + site.catalogs.warnings + translations.warnings
                + checked.warnings() + output.warnings)
    return BuildResult(site, out, files, warnings, time.perf_counter() - started, output.rendered,
                       output.render_seconds)

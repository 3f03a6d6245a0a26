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
from patientsite.model.publish import publish_site
from patientsite.model.site import Site, assemble_site
from patientsite.render.cache import CACHE_DIR, RenderCache
from patientsite.render.hosting import host_site
from patientsite.render.output import render_site
from patientsite.render.pdf import render_pdfs
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
    whole: bool = True     # every page published as it is (model/publish.py): nothing left out or replaced
    rendered_files: tuple[tuple[str, bytes], ...] = ()   # what the render stage made, before host_site


def load_site(root: Path, base_url: str | None = None) -> Site:
    """Stages load + model: everything checked, nothing rendered. `base_url` replaces site.yaml's."""
    templates = root / "templates"
    config = load_config(root, base_url)
    check_templates(templates)
    facts = load_facts(config)
    pages = load_content(config)
    catalogs = load_catalogs(config, templates)
    return assemble_site(config, facts, pages, catalogs, templates)


def build(root: Path, out: Path, *, use_cache: bool = True, jobs: int = 0, drafts: bool = False,
          pdf: bool = False, base_url: str | None = None) -> BuildResult:
    """Load, model, render, write. Raises BuildError; `out` is untouched unless all succeeds.
    With `use_cache`, pages whose inputs did not change come from `.cache/` (byte-identical); without,
    every page is rendered and the cache rewritten. A cache that cannot be written only warns.
    `drafts` (the preview): publish drafts too, marked as drafts; `site` is then what is published.
    With `pdf`, each language's leaflet is also written as a PDF (render/pdf.py, WeasyPrint)."""
    started = time.perf_counter()
    with disk_errors(out):                     # an output folder that cannot even be listed
        check_output_folder(out, root)         # refused before any work, and again before the swap
    with output_lock(out):
        return _build(root, out, started, use_cache, jobs, drafts, pdf, base_url)


def _build(root: Path, out: Path, started: float, use_cache: bool, jobs: int, drafts: bool = False,
           pdf: bool = False, base_url: str | None = None) -> BuildResult:
    site = load_site(root, base_url)
    status = assess_translations(site.config, root / "templates")
    translations = judge_translations(site, status)                 # copied text fails here
    publication = publish_site(site, translations, drafts)          # what is not ready is left out
    site = publication.site
    checked = check_pages(site.pages, site.config, review.today())  # overdue reviews fail here
    checked.raise_if_errors()
    cache = RenderCache(root / CACHE_DIR, read=use_cache)   # --no-cache: render all, rewrite every entry
    output = render_site(site, root / "templates", translations.notices, cache=cache, jobs=jobs, with_pdf=pdf)
    files = tuple(sorted(output.files + tuple(render_pdfs(site, output.files)))) if pdf else output.files
    files = index_site(site, files)                         # the search index joins the pages
    published = host_site(site, files)     # redirect pages, fingerprints, _headers, .gz/.br
    write_site(published, out)
    write_file(root / REPORT_PATH, review_report(site))
    warnings = (site.config.warnings + site.facts.warnings + site.catalogs.warnings + translations.warnings
                + publication.warnings + checked.warnings() + output.warnings)
    return BuildResult(site, out, published, warnings, time.perf_counter() - started, output.rendered,
                       output.render_seconds, publication.whole, files)

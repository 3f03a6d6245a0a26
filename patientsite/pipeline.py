"""The build: one straight line of named stages over frozen values.

`build(root, out)` is the full build; `build(root, out, previous=result, changed=paths)` is the same
line of stages started from the previous build's result (the preview, after an edit): each stage takes
its previous output and the changed inputs. Load reads only the changed files again, the model models
only the changed pages and those that show a changed fact, the translation status is computed from what
load read, render renders only the pages whose dependency record's digest changed, and write replaces
only the files whose bytes changed, each with `write.write_atomically`. The full build renders every
page (from the render cache where it can) into a new folder swapped in whole. An edit that changes what
many pages show (preview/changeplan.py, model/remodel.py) is followed by the full build."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from threading import Event
from types import MappingProxyType

from patientsite.checks import review
from patientsite.checks.copies import page_verdict
from patientsite.checks.pages import PageFindings, check_pages
from patientsite.checks.translations import TranslationCheck, judge_translations
from patientsite.errors import Interrupted, Problem
from patientsite.load.project import Loaded, load_locks, load_project
from patientsite.load.sourcecache import SourceCache
from patientsite.load.translation import Lock, TranslationStatus, assess_translations, sources_from_load
from patientsite.model.publish import Publication, publish_site
from patientsite.model.remodel import Structural, remodel_site
from patientsite.model.site import Site, assemble_site
from patientsite.preview.changeplan import ChangePlan, plan_changes
from patientsite.render.cache import CACHE_DIR, PageRecords, RenderCache, generator_digest, page_records
from patientsite.render.output import Output, RenderedFiles, render_site
from patientsite.render.pdf import render_pdfs
from patientsite.render.report import review_report
from patientsite.write import (
    check_output_folder,
    check_paths,
    disk_errors,
    new_site_folder,
    output_lock,
    publish,
    write_changes,
    write_file,
)

REPORT_PATH = "reports/review.md"


class OutputFiles(Mapping):
    """The files of a built site: output path -> its bytes, read from the output folder when asked
    (the build itself never holds them all)."""

    def __init__(self, out: Path, shas: Mapping[str, str]):
        self.out, self.shas = out, shas

    def __getitem__(self, path: str) -> bytes:
        if path not in self.shas:
            raise KeyError(path)
        return (self.out / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.shas))

    def __len__(self) -> int:
        return len(self.shas)


@dataclass(frozen=True)
class BuildState:
    """What a build leaves for the next one to start from: each stage's output."""

    loaded: Loaded
    modelled: Site                 # the site as modelled, before publication (model/publish.py)
    drafts: bool                   # the build published drafts (the preview)
    locks: Mapping[str, Lock]
    status: TranslationStatus
    translations: TranslationCheck
    checked: PageFindings
    publication: Publication       # which pages are published, in which state (model/publish.py: its shape)
    records: PageRecords           # each page's dependency record and digest
    output: Output
    report: str


@dataclass(frozen=True)
class BuildResult:
    site: Site
    out: Path
    files: Mapping[str, bytes]     # every published file (OutputFiles: read from `out` when asked)
    warnings: tuple[Problem, ...]
    seconds: float
    rendered: int = 0      # pages rendered rather than taken from the cache
    render_seconds: tuple[tuple[str, float], ...] = ()   # language -> time spent rendering its pages
    redone: tuple[str, ...] = ()     # the pages whose dependency digest changed (rendered or from the cache)
    written: tuple[str, ...] | None = None   # the files a build from the previous one wrote (None: all)
    state: BuildState | None = field(default=None, compare=False, repr=False)
    whole: bool = True     # every page published as it is (model/publish.py): nothing left out or replaced
    base_url: str | None = None    # the address given for this build instead of site.yaml's


def load_site(root: Path, base_url: str | None = None) -> Site:
    """Stages load + model: everything checked, nothing rendered. `base_url` replaces site.yaml's."""
    loaded = load_project(root, base_url=base_url)
    return assemble_site(loaded.config, loaded.facts, loaded.pages, loaded.catalogs, root / "templates")


def build(root: Path, out: Path, previous: BuildResult | None = None, changed: Iterable[str] = (), *,
          use_cache: bool = True, jobs: int = 0, drafts: bool = False, pdf: bool = False,
          base_url: str | None = None, gather: bool = True, stop: Event | None = None) -> BuildResult:
    """Load, model, render, write. Raises BuildError; `out` is untouched unless all succeeds.
    `previous`: the result of the last build into `out` (its files unchanged since), and `changed`: the
    project's files (relative paths) changed since it; the full build follows when the change plan
    says it must, or when this build would publish other pages, or in other states, than the previous
    one (model/publish.py). With `use_cache`, pages whose inputs did not change come from `.cache/`
    (byte-identical); without, every page is rendered and the cache rewritten. A cache that cannot be
    written only warns. `drafts` (the preview): publish drafts too, marked as drafts; `site` is then
    what is published. With `pdf`, each language's leaflet is also written as a PDF (render/pdf.py,
    WeasyPrint). `base_url` replaces site.yaml's (staging, preview deploys). Without `gather` (the
    preview, right after a save), a build from the previous one leaves the leaflets and search index
    of the languages it redid for the next build that gathers (`changed=()` makes only those); `stop`
    (the preview's next save) interrupts that gathering: errors.Interrupted, nothing written."""
    started = time.perf_counter()
    with disk_errors(out):                     # an output folder that cannot even be listed
        check_output_folder(out, root)         # refused before any work, and again before the swap
    with output_lock(out):
        if previous is not None and previous.state is not None and previous.out == out \
                and previous.state.drafts == drafts and not pdf and previous.base_url == base_url:
            plan = plan_changes(changed, previous.state.modelled)
            if plan is not None:
                try:
                    return _build(root, out, started, use_cache, jobs, drafts, pdf, base_url, previous, plan,
                                  gather, stop)
                except Structural:
                    pass
        return _build(root, out, started, use_cache, jobs, drafts, pdf, base_url)


def _build(root: Path, out: Path, started: float, use_cache: bool, jobs: int, drafts: bool = False,
           pdf: bool = False, base_url: str | None = None, previous: BuildResult | None = None,
           plan: ChangePlan | None = None, gather: bool = True, stop: Event | None = None) -> BuildResult:
    last = previous.state if previous is not None and plan is not None else None
    templates = root / "templates"
    halt = stop if gather else None       # a gathering gives way to a save between stages, not only in render
    # load, then model: from the previous build, only what changed
    sources = SourceCache(root, generator_digest(), read=use_cache) if last is None else None
    loaded = load_project(root, last.loaded if last else None, plan, base_url, sources)
    if last is None:
        modelled = assemble_site(loaded.config, loaded.facts, loaded.pages, loaded.catalogs, templates)
        remodelled: frozenset[str] = frozenset(page.src_path for page in modelled.pages)
    else:
        modelled, remodelled = remodel_site(last.modelled, loaded.facts, loaded.changed)
    _give_way(halt)
    # translations: the status of what load read; stale critical words fail here
    locks = load_locks(modelled.config, last.locks if last else None, plan)
    status = assess_translations(sources_from_load(modelled.config, modelled.facts, loaded.pages, modelled.catalogs,
                                                   locks))
    translations = judge_translations(modelled, status, last.translations if last else None,  # copied text fails
                                      words_saved=plan is None or plan.words)
    _give_way(halt)
    # what is not ready is left out
    publication = publish_site(modelled, translations, drafts, last.publication if last else None)
    if last is not None and publication.shape != last.publication.shape:
        raise Structural("other pages are published, or in other states: the full build publishes the site")
    site = publication.site
    # page checks: overdue reviews fail here
    checked = check_pages(site.pages, site.config, review.today(), last.checked if last else None, remodelled)
    checked.raise_if_errors()
    _give_way(halt)
    # each page's dependency record, digested: the cache key, and what tells render what changed
    records = page_records(site, templates, translations.notices, last.records if last else None)
    digests = records.digests
    _give_way(halt)
    cache = RenderCache(root / CACHE_DIR, read=use_cache)   # --no-cache: render all, rewrite every entry
    # render and write
    if last is None:
        check_paths((page.output_path, b"") for page in site.pages)   # before any page is written
        with new_site_folder(out) as building, disk_errors(out):
            output = render_site(site, templates, translations.notices, records.keys, cache, jobs, into=building,
                                 templates=digests.templates, with_pdf=pdf)
            if pdf:       # the leaflets' PDFs, from the files in the new folder (before it is swapped in)
                for path, content in render_pdfs(site, RenderedFiles(building, output.files, {})):
                    (building / path).parent.mkdir(parents=True, exist_ok=True)
                    (building / path).write_bytes(content)
                    output = dataclasses.replace(output, files=MappingProxyType(
                        {**output.files, path: hashlib.sha256(content).hexdigest()}))
            check_paths((path, b"") for path in output.files)
            publish(building, out)
        written = None
    else:
        output = render_site(site, templates, translations.notices, records.keys, cache, jobs,
                             previous=last.output, templates=digests.templates, out=out, gather=gather, stop=stop)
        gone = [path for path in last.output.files if path not in output.files]
        written = write_changes(out, output.changed, gone)
    report = _report(site, previous.site if last else None, last.report if last else None, remodelled)
    if sources is not None:     # the pages as parsed, for the next build (only a build that succeeded)
        sources.keep(modelled.pages, page_verdict)
    warnings = (site.config.warnings + site.facts.warnings + site.catalogs.warnings + translations.warnings
                + publication.warnings + checked.warnings() + output.warnings)
    state = BuildState(loaded, modelled, drafts, locks, status, translations, checked, publication,
                       records, output, report)
    return BuildResult(site, out, OutputFiles(out, output.files), warnings, time.perf_counter() - started,
                       len(output.rendered), output.render_seconds, output.redone, written, state,
                       publication.whole, base_url)


def _give_way(stop: Event | None) -> None:
    """Raise errors.Interrupted when `stop` is set: the preview's save waits for no more than a stage."""
    if stop is not None and stop.is_set():
        raise Interrupted()


def _report(site: Site, before: Site | None, report: str | None, remodelled: frozenset[str]) -> str:
    """The doctor's review report, written when it changed (it shows the facts and where pages use them)."""
    if before is not None and report is not None and site.facts is before.facts and all(
            site.page(p.language, p.key).facts_used == p.facts_used for p in before.pages if p.src_path in remodelled):
        return report
    fresh = review_report(site)
    if fresh != report:
        write_file(site.config.root / REPORT_PATH, fresh)
    return fresh

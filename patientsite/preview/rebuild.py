"""Incremental rebuilds for the preview: after an edit, render and write only the pages it changes,
byte-identical to what a full build of the same files would write.

`LastBuild` holds the values of the last successful build: the `Site`, every output file's bytes,
the translation status with its notices and warnings, and the stat signature of every watched file.
`rebuild(last, signatures, changed)` compares the signatures (and takes the paths said to have
changed) and decides:

- page files whose fields that other pages show (key, slug, title, menu, review date; a home page's
  description) are unchanged: re-read and re-model just those pages (`model.model_page`, the full
  build's checks), restate their translation units, and re-render them and every translation whose
  out-of-date notice changed;
- facts.yaml or a words.yaml with the same fact ids, kinds, criticality, word fields, documents,
  counted nouns, terms and document titles: reload the facts and re-render exactly the pages that show a changed fact
  (its value where they use it; its words where they show its label or list, and a contraindication
  in every page's structured data), in the languages the change touches;
- a translations.lock: read it again and re-render the pages whose out-of-date notice changed;
- templates/static/: copy it again;
- anything else (another template, site.yaml, a catalogue, a new, removed or renamed page, a change
  of the fields above): `None`, and the caller runs the full build.

Each stage raises the `BuildError` the full build would raise, and nothing is written unless every
page rendered; then each changed file replaces the old one atomically.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from patientsite.checks import review
from patientsite.checks.pages import PageFindings, check_pages
from patientsite.checks.translations import TranslationCheck, judge_translations
from patientsite.errors import BuildError, Problem, Problems
from patientsite.load.content import SourcePage, read_page
from patientsite.load.facts import Facts, load_facts
from patientsite.load.textfile import read_source
from patientsite.load.translation import (
    TranslationStatus,
    assess_translations,
    page_unit,
    read_fact_ids,
    reassess_translations,
    restate_page,
)
from patientsite.model.publish import publish_site
from patientsite.model.site import Page, Site, check_titles, model_page
from patientsite.pipeline import REPORT_PATH, BuildResult
from patientsite.preview.changeplan import ChangePlan, plan_changes
from patientsite.render import structured
from patientsite.render.hosting import host_site
from patientsite.render.leaflet import render_leaflets
from patientsite.render.output import page_renderers, render_pages, static_files
from patientsite.render.report import review_report
from patientsite.render.search import index_site
from patientsite.render.templateerror import located
from patientsite.write import write_atomically, write_file

MARKDOWN_CACHE = 2048    # page bodies per language whose Markdown HTML the renderers keep


@dataclass(frozen=True)
class LastBuild:
    site: Site
    out: Path
    files: Mapping[str, bytes]                      # output path -> content, as rendered (before host_site)
    status: TranslationStatus
    translations: TranslationCheck                  # notices and warnings
    critical: Mapping[str, bool]                    # fact id -> critical, as the translation status reads it
    checked: PageFindings                           # each page's review-date and unsafe-markup findings
    report: str
    signatures: Mapping[str, tuple[int, int]]       # watched file -> (mtime_ns, size) when read
    renderers: Mapping = dataclasses.field(compare=False, repr=False)  # language -> warm PageRenderer
    warnings: tuple[Problem, ...] = ()
    published: Mapping[str, bytes] = dataclasses.field(default_factory=lambda: MappingProxyType({}))  # as written


@dataclass(frozen=True)
class Rebuilt:
    last: LastBuild
    rendered: tuple[str, ...]      # the output paths of the pages rendered again
    written: tuple[str, ...]       # the files written (those whose bytes changed)


def remember(result: BuildResult, signatures: Mapping[str, tuple[int, int]]) -> LastBuild | None:
    """The state after a full build of the files with these `signatures` (None if it cannot be
    reproduced, e.g. a file changed while building: the next rebuild is a full one then)."""
    site = result.site
    templates = site.config.root / "templates"
    if not result.whole:      # pages left out or replaced (model/publish.py): every rebuild is a full one
        return None
    try:
        status = assess_translations(site.config, templates)
        translations = judge_translations(site, status)
        critical = read_fact_ids(site.config)
    except BuildError:
        return None
    checked = check_pages(site.pages, site.config, review.today())
    if checked.errors():
        return None
    files = dict(result.rendered_files)
    renderers = page_renderers(site, templates, translations.notices, MARKDOWN_CACHE)
    homes = [index for index, page in enumerate(site.pages) if page.key == "home"]
    for rendered, errors, *_ in render_pages(site, templates, translations.notices, homes, 1, renderers):
        if errors or any(files.get(site.pages[i].output_path) != content for i, content in rendered):
            return None      # what the build wrote is not what these values render: never patch it
    return LastBuild(site, result.out, MappingProxyType(files), status, translations, MappingProxyType(critical),
                     checked, review_report(site), MappingProxyType(dict(signatures)),
                     MappingProxyType(renderers), result.warnings, MappingProxyType(dict(result.files)))


def rebuild(last: LastBuild, signatures: Mapping[str, tuple[int, int]], changed=(),
            today: datetime.date | None = None, jobs: int = 0) -> Rebuilt | None:
    """Bring the output folder up to date with the files whose `signatures` changed, and those said
    to have `changed`; None when only a full build can (see the module's docstring). Raises the
    BuildError the full build would raise."""
    changed = set(changed) | {p for p in set(signatures) | set(last.signatures)
                              if signatures.get(p) != last.signatures.get(p)}
    by_path = {page.src_path: index for index, page in enumerate(last.site.pages)}
    plan = plan_changes(sorted(changed), last.site, by_path)
    loaded = _load(last, plan) if plan else None
    modelled = _model(last, loaded, by_path) if loaded else None
    if plan is None or loaded is None or modelled is None:
        return None
    site, remodel = modelled
    status = last.status
    if plan.locks or plan.words:
        status = reassess_translations(status, site.config, plan.locks)
    for rel, text in loaded.texts.items():
        status = restate_page(status, rel.split("/")[1], page_unit(rel, text, Problems("")))
    if status is last.status and all(site.pages[i].facts_used == last.site.pages[i].facts_used for i in remodel):
        translations = last.translations         # nothing it depends on changed
    else:
        translations = judge_translations(site, status)
    if not publish_site(site, translations).whole:    # something is no longer published as it is
        return None
    checked = check_pages(site.pages, site.config, today or review.today(), last.checked,
                          {site.pages[i].src_path for i in remodel})
    checked.raise_if_errors()
    todo = _to_render(last, site, loaded, translations, remodel, by_path)
    rendered = _render(last, site, translations, todo, jobs)
    files = rendered.files
    if plan.static:
        files = {path: content for path, content in files.items() if not path.startswith("static/")}
        files.update(static_files(site.config.root / "templates"))
    files = dict(index_site(site, files.items()))      # the search index of the pages as they are now

    # write: each changed file, atomically; then the review report
    published = dict(host_site(site, files.items()))   # the same hosting step as the full build
    written = _write_changes(last.out, last.published, published)
    report = last.report
    if site.facts is not last.site.facts or any(site.pages[i].facts_used != last.site.pages[i].facts_used
                                                for i in remodel):
        report = review_report(site)
        if report != last.report:
            write_file(site.config.root / REPORT_PATH, report)
    warnings = (site.config.warnings + site.facts.warnings + site.catalogs.warnings + translations.warnings
                + checked.warnings() + rendered.warnings)
    state = LastBuild(site, last.out, MappingProxyType(files), status, translations, loaded.critical,
                      checked, report, MappingProxyType(dict(signatures)),
                      MappingProxyType(rendered.renderers), warnings, MappingProxyType(published))
    return Rebuilt(state, tuple(site.pages[i].output_path for i in todo), written)


@dataclass(frozen=True)
class _Loaded:
    facts: Facts
    values: frozenset[str]                    # facts whose facts.yaml entry shows differently
    words: Mapping[str, frozenset[str]]       # language code -> facts whose words show differently
    critical: Mapping[str, bool]
    texts: Mapping[str, str]                  # changed page file -> its text
    sources: Mapping[str, SourcePage]         # changed page file -> its front matter and body


def _load(last: LastBuild, plan: ChangePlan) -> _Loaded | None:
    """The load stage for the changed files: the facts, then the pages, with the full build's errors."""
    config = last.site.config
    facts, critical = last.site.facts, last.critical
    values: frozenset[str] = frozenset()
    words: dict[str, frozenset[str]] = {lang.code: frozenset() for lang in config.languages}
    if plan.facts or plan.words:
        facts = load_facts(config)
        changed = _changed_facts(last.site.facts, facts)
        critical = MappingProxyType(read_fact_ids(config)) if plan.facts else critical
        if changed is None or dict(critical) != dict(last.critical):
            return None
        values, words = changed
    problems = Problems("reading the pages")
    texts, sources = {}, {}
    for rel in plan.pages:
        _, code, name = rel.split("/")
        texts[rel] = read_source(config.root, rel, problems)
        if texts[rel] is not None:
            sources[rel] = read_page(rel, name, texts[rel], code, problems)
    problems.raise_if_any()
    return _Loaded(facts, values, words, critical, texts, sources)


def _model(last: LastBuild, loaded: _Loaded, by_path: Mapping[str, int]) -> tuple[Site, set[int]] | None:
    """The model stage for the changed pages and those that show a changed fact: (the new site, the
    indices of the pages modelled again), or None if a page changed what other pages show."""
    old = last.site
    remodel = {by_path[rel] for rel in loaded.sources}
    if loaded.facts is not old.facts:    # a page's facts and sources depend on the facts and its lists' words
        lists = {fact_id for fact_id, fact in loaded.facts.facts.items() if fact.is_list or fact.statement}
        remodel |= {i for i, page in enumerate(old.pages) if not loaded.values.isdisjoint(page.facts_used)
                    or not (loaded.words[page.language] & lists).isdisjoint(page.facts_used)}
    problems = Problems("assembling the site")
    keys = {lang.code: {key for key, found in old.translations.items() if lang.code in found}
            for lang in old.config.languages}
    pages = list(old.pages)
    for index in sorted(remodel):
        page = old.pages[index]
        pages[index] = model_page(loaded.sources.get(page.src_path, page.source), old.config, loaded.facts,
                                  old.catalogs, old.templates, keys[page.language], problems)
        if _shown_elsewhere(pages[index]) != _shown_elsewhere(page):
            return None
    check_titles(old.config, loaded.facts, [pages[i] for i in sorted(remodel)], problems)
    problems.raise_if_any()
    return _with_pages(old, loaded.facts, pages), remodel


def _to_render(last: LastBuild, site: Site, loaded: _Loaded, translations: TranslationCheck,
               remodel: set[int], by_path: Mapping[str, int]) -> list[int]:
    """The pages that changed, show a changed fact (in their text or structured data) or whose
    out-of-date notice changed."""
    todo = {i for i in remodel if site.pages[i] != last.site.pages[i]}
    contraindications = set(structured.contraindication_facts(site))
    values, everywhere = loaded.values, loaded.values & contraindications
    for index, page in enumerate(site.pages) if values or any(loaded.words.values()) else ():
        words = loaded.words[page.language]
        if (everywhere or words & contraindications or not values.isdisjoint(page.facts_used)
                or words and not words.isdisjoint(_words_shown(site, page))):
            todo.add(index)
    before, after = last.translations.notices, translations.notices
    for language, key in {k for k in set(before) | set(after) if before.get(k) != after.get(k)}:
        todo.add(by_path[site.page(language, key).src_path])
    return sorted(todo)


@dataclass(frozen=True)
class _Rendered:
    files: dict[str, bytes]
    warnings: tuple[Problem, ...]
    renderers: dict


def _render(last: LastBuild, site: Site, translations: TranslationCheck, todo: list[int], jobs: int) -> _Rendered:
    """The render stage for the pages in `todo`, on the last build's warm renderers."""
    problems = Problems("rendering")
    renderers = {code: renderer.rebind(site, translations.notices) for code, renderer in last.renderers.items()}
    files = dict(last.files)
    templates = site.config.root / "templates"
    for rendered, errors, warnings, _seconds in render_pages(site, templates, translations.notices, todo, jobs,
                                                             renderers):
        problems.errors.extend(errors)
        problems.warnings.extend(warnings)
        files.update((site.pages[index].output_path, content) for index, content in rendered)
    with located(problems, None, templates):     # a leaflet shows every page of its language
        files.update(render_leaflets(site, renderers, files, problems,
                                     languages={site.pages[index].language for index in todo}))
    problems.raise_if_any()
    return _Rendered(files, problems.warnings_tuple(), renderers)


def _shown_elsewhere(page: Page) -> tuple:
    """What other outputs show of a page: menus, links, language switchers, notices, the sitemap,
    and the chooser (the home pages' descriptions)."""
    return (page.key, page.url, page.title, page.nav, page.nav_title, page.reviewed,
            page.description if page.key == "home" else None)


def _words_shown(site: Site, page: Page):
    """The facts whose words (labels, item texts, statements' texts) a page shows: those it uses, but
    for the number facts its text only calls by fact(), for their value (all, when it shows a list:
    its words may call any)."""
    facts = site.facts.facts
    if any(facts[fact_id].is_list for fact_id in page.facts_used):
        return page.facts_used
    value_only = ({name for call in page.calls if call.function == "fact" for name in call.names
                   if name in facts and not facts[name].statement}
                  - {name for call in page.calls if call.function != "fact" for name in call.names})
    return set(page.facts_used) - value_only


def _changed_facts(old: Facts, new: Facts) -> tuple[frozenset[str], dict[str, frozenset[str]]] | None:
    """(the facts whose facts.yaml entry shows differently, language code -> the facts whose words
    show differently), or None if the change is structural."""
    if dict(old.documents) != dict(new.documents) or set(old.facts) != set(new.facts):
        return None
    everywhere = set()
    for fact_id, fact in new.facts.items():
        before = old.facts[fact_id]
        if (before.is_list, before.critical, before.word_fields) != (fact.is_list, fact.critical, fact.word_fields):
            return None
        if _shown(before) != _shown(fact):
            everywhere.add(fact_id)
    changed = {}
    for code, words in new.words.items():
        was = old.words[code]
        if (dict(was.units) != dict(words.units) or dict(was.terms) != dict(words.terms)
                or dict(was.sources) != dict(words.sources)):
            return None
        in_words = {fact_id for fact_id, fact in new.facts.items()
                    if was.labels.get(fact_id) != words.labels.get(fact_id)
                    or was.texts.get(fact_id) != words.texts.get(fact_id) or any(
                        was.items.get((fact_id, item)) != words.items.get((fact_id, item))
                        for item in {i.id for i in fact.items} | {i.id for i in old.facts[fact_id].items})}
        changed[code] = frozenset(in_words)
    return frozenset(everywhere), changed


def _shown(fact) -> tuple:
    """What of a fact a page shows (not the line it is defined on)."""
    return (fact.amount, fact.sources, tuple((i.id, i.terms, i.amounts, i.sources) for i in fact.items),
            fact.not_on_pages)


def _with_pages(site: Site, facts: Facts, pages: list[Page]) -> Site:
    translations: dict[str, dict[str, Page]] = {}
    for page in pages:
        translations.setdefault(page.key, {})[page.language] = page
    return dataclasses.replace(site, facts=facts, pages=tuple(pages), translations=MappingProxyType(
        {key: MappingProxyType(found) for key, found in translations.items()}))


def _write_changes(out: Path, before: Mapping[str, bytes], after: Mapping[str, bytes]) -> tuple[str, ...]:
    """Write each file whose bytes changed (write.write_atomically); delete the gone."""
    written = []
    for path, content in after.items():
        if before.get(path) != content:
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, content)
            written.append(path)
    for path in set(before) - set(after):
        (out / path).unlink(missing_ok=True)
        written.append(path)
    return tuple(sorted(written))

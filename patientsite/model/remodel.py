"""The model stage after an edit: the last build's `Site` with the changed pages, and the pages that
show a changed fact, modelled again by the full build's `model_page`. A change that the rest of the
site shows (a title, a URL, a menu entry, a review date, a home page's description; a fact's kind,
criticality or word fields; the documents, counted nouns, terms or documents' titles) is structural:
`Structural` is raised, and the build models the whole site again."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from patientsite.errors import Problems
from patientsite.load.content import SourcePage
from patientsite.load.facts import Facts
from patientsite.model.site import Page, Site, check_titles, model_page


class Structural(Exception):
    """The edit changes what many pages show: only the full model follows it."""


def remodel_site(site: Site, facts: Facts, sources: Mapping[str, SourcePage]) -> tuple[Site, frozenset[str]]:
    """(the site with `facts` and the changed page `sources` (src_path -> page), the src_paths of the
    pages modelled again). Raises BuildError with the full build's errors, or Structural."""
    by_path = {page.src_path: index for index, page in enumerate(site.pages)}
    if set(sources) - set(by_path):
        raise Structural("a new page")
    remodel = {by_path[rel] for rel in sources}
    if facts is not site.facts:    # a page's facts and sources depend on the facts and its lists' words
        values, words = changed_facts(site.facts, facts)
        lists = {fact_id for fact_id, fact in facts.facts.items() if fact.is_list or fact.statement}
        remodel |= {i for i, page in enumerate(site.pages) if not values.isdisjoint(page.facts_used)
                    or not (words[page.language] & lists).isdisjoint(page.facts_used)}
    problems = Problems("assembling the site")
    keys = {lang.code: {key for key, found in site.translations.items() if lang.code in found}
            for lang in site.config.languages}
    pages = list(site.pages)
    for index in sorted(remodel):
        page = site.pages[index]
        pages[index] = model_page(sources.get(page.src_path, page.source), site.config, facts, site.catalogs,
                                  site.templates, keys[page.language], problems)
        if shown_elsewhere(pages[index]) != shown_elsewhere(page):
            raise Structural(page.src_path)
    check_titles(site.config, facts, [pages[i] for i in sorted(remodel)], problems)
    problems.raise_if_any()
    return _with_pages(site, facts, pages), frozenset(pages[i].src_path for i in remodel)


def shown_elsewhere(page: Page) -> tuple:
    """What other outputs show of a page: menus, links, language switchers, notices, the sitemap,
    and the chooser (the home pages' descriptions)."""
    return (page.key, page.url, page.title, page.nav, page.nav_title, page.reviewed,
            page.description if page.key == "home" else None)


def changed_facts(old: Facts, new: Facts) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """(the facts whose facts.yaml entry shows differently, language code -> the facts whose words
    show differently); raises Structural if the change is structural."""
    if dict(old.documents) != dict(new.documents) or set(old.facts) != set(new.facts):
        raise Structural("the documents or the fact ids")
    everywhere = set()
    for fact_id, fact in new.facts.items():
        before = old.facts[fact_id]
        if (before.is_list, before.statement, before.critical, before.word_fields) != (
                fact.is_list, fact.statement, fact.critical, fact.word_fields):
            raise Structural(fact_id)
        if _shown(before) != _shown(fact):
            everywhere.add(fact_id)
    changed = {}
    for code, words in new.words.items():
        was = old.words[code]
        if (dict(was.units) != dict(words.units) or dict(was.terms) != dict(words.terms)
                or dict(was.sources) != dict(words.sources)):
            raise Structural(words.path)
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

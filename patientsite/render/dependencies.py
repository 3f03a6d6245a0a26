"""What a page shows: one record per page, the one answer to "which inputs is this page made from".

`page_dependencies` says it for a page: its source file and the other files it is made from, the facts
whose values it shows (in its text and in its JSON-LD), the facts whose words it shows (labels, item
texts, statements' texts), and its translation notice. The same record makes the render cache's key
(`cache.page_digest`), decides what the preview renders again after an edit (a page is rendered again
when its digest changed), and names the inputs of a page for people (`files`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from patientsite.load.facts import FACTS_FILE, WORDS_FILE
from patientsite.load.i18n import CATALOG_FILE
from patientsite.model.site import READY, Page, Site
from patientsite.render import structured


@dataclass(frozen=True)
class PageDependencies:
    src_path: str
    files: tuple[str, ...]             # every file the page is made from (its source first)
    facts: tuple[str, ...]             # the facts whose values it shows, text and JSON-LD (sorted)
    words: tuple[str, ...]             # the facts whose words it shows in its language (sorted)
    # its out-of-date notice (the date of the Italian page, or None); with its publication state and its
    # language's held facts (model/publish.py) when it is not simply published as it is
    notice: datetime.date | tuple | None


def page_dependencies(site: Site, page: Page, notices: Mapping[tuple[str, str], datetime.date],
                      json_ld: tuple[str, ...] | None = None) -> PageDependencies:
    """The record of what `page` shows. `json_ld`: `structured.contraindication_facts(site)`, when the
    caller has it (they are the same for every page)."""
    in_json_ld = (structured.contraindication_facts(site) if json_ld is None else json_ld) \
        + structured.faq_facts(site, page)
    files = (page.src_path, FACTS_FILE, f"content/{page.language}/{WORDS_FILE}",
             site.catalogs.paths.get(page.language, f"content/{page.language}/{CATALOG_FILE}"), "site.yaml",
             *site.templates)
    return PageDependencies(page.src_path, tuple(dict.fromkeys(files)),
                            tuple(sorted(set(page.facts_used) | set(in_json_ld))),
                            tuple(sorted(words_shown(site, page) | set(in_json_ld))),
                            page_notice(site, page, notices))


def page_notice(site: Site, page: Page, notices: Mapping[tuple[str, str], datetime.date]):
    """The page's notice as its record holds it: the translation notice, with the page's state and its
    language's held facts when it is not a ready page of a language that holds nothing back."""
    notice = notices.get((page.language, page.key))
    if page.state != READY or site.held.get(page.language):    # model/publish.py
        return (notice, page.state, tuple(sorted(site.held.get(page.language, ()))))
    return notice


def words_shown(site: Site, page: Page) -> set[str]:
    """The facts whose words (labels, item texts, statements' texts) a page's text shows: those it
    uses, but for the number facts it only calls by fact(), for their value (all, when it shows a
    list: its words may call any)."""
    facts = site.facts.facts
    if any(facts[fact_id].is_list for fact_id in page.facts_used):
        return set(page.facts_used)
    value_only = ({name for call in page.calls if call.function == "fact" for name in call.names
                   if name in facts and not facts[name].statement}
                  - {name for call in page.calls if call.function != "fact" for name in call.names})
    return set(page.facts_used) - value_only

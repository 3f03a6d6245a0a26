"""What is published: the frozen `Site` of everything that is ready, made from the whole site and the
translation verdict (checks/translations.py).

- a draft (`draft: true`) is left out, in every language when the source page is one; the preview
  (`drafts=True`) keeps drafts, marked;
- a page that is not ready in a language is left out of that language: no URL, no hreflang, not in
  the sitemap or the menus; the language switcher shows the language as not available;
- a language whose home page is left out is not published at all;
- a page whose critical text is not ready is kept, marked UPDATING: it renders as a short notice;
- a published page that links to a page published in no language is an error.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from patientsite.errors import Problem, Problems
from patientsite.model.site import DRAFT, READY, UPDATING, Page, Site

HOME = "home"


@dataclass(frozen=True)
class Publication:
    site: Site                                  # what is published
    left_out: tuple[tuple[str, str], ...]       # (language, page key) of every page not published
    warnings: tuple[Problem, ...]
    # the keys published and the pages whose links to them were found published (src_path -> page):
    # what the next build's link check keeps
    linked: tuple[frozenset[str], Mapping[str, Page]] = field(
        default=(frozenset(), MappingProxyType({})), compare=False, repr=False)

    @property
    def whole(self) -> bool:
        """Every page published as it is: nothing left out, replaced or marked."""
        return not self.left_out and all(page.state == READY for page in self.site.pages)

    @functools.cached_property
    def shape(self) -> tuple:
        """Which pages are published, in which state, and the facts each language holds back: what a
        build from the previous one must find unchanged (else the menus, language links and sitemap
        change: the full build follows)."""
        return (tuple((page.language, page.key, page.state) for page in self.site.pages), self.left_out,
                tuple(sorted((code, tuple(sorted(held))) for code, held in self.site.held.items())))


def publish_site(site: Site, verdict, drafts: bool = False, previous: Publication | None = None) -> Publication:
    """The published `Site`. `verdict`: a `TranslationCheck` (its `unready`, `updating`, `held`);
    `drafts`: keep drafts (the preview). Raises BuildError on a link to a page published nowhere.
    `previous` (the last good build's): the links of a page published then as now, to the same keys
    published, were found published then and are not looked at again."""
    problems = Problems("choosing what to publish")
    source = site.config.source_language.code
    draft_keys = {page.key for page in site.pages if page.draft and page.language == source}
    home = site.page(source, HOME)
    if home.draft:
        problems.error(home.src_path, home.source.line_of("draft") if home.source else 1,
                       "the home page cannot be a draft", "Delete the draft: line of the home page.")
    kept, left_out = [], []
    for page in site.pages:
        draft = page.draft or page.key in draft_keys
        if (draft and not drafts) or (page.language, page.key) in verdict.unready:
            left_out.append((page.language, page.key))
            continue
        state = UPDATING if (page.language, page.key) in verdict.updating else DRAFT if draft else READY
        kept.append(page if state == page.state else dataclasses.replace(page, state=state))
    missing = {(lang.code, key) for key in site.translations for lang in site.config.languages
               if lang.code not in site.translations[key]}
    homes = {page.language for page in kept if page.key == HOME} - set(site.catalogs.untranslated)
    languages = tuple(lang for lang in site.config.languages if lang.code in homes or lang.source)
    for lang in site.config.languages:
        if lang not in languages and lang.code in site.catalogs.untranslated:
            problems.warn(f"content/{lang.code}/messages.po", 1, f"{lang.name} ({lang.code}) is not published at "
                          "all: some of its interface strings are not translated yet", "Translate every msgstr "
                          "(the warnings above name each line), then build again.")
            left_out.extend((lang.code, page.key) for page in kept if page.language == lang.code)
        elif lang not in languages:
            problems.warn(f"content/{lang.code}/index.md", 1, f"{lang.name} ({lang.code}) is not published at all: "
                          "its home page is not ready", "Translate the home page and mark it current "
                          f"(python build.py status --mark-current {lang.code} home); the warnings above say why.")
            left_out.extend((lang.code, page.key) for page in kept if page.language == lang.code)
    codes = {lang.code for lang in languages}
    kept = [page for page in kept if page.language in codes]
    published = frozenset(page.key for page in kept)
    same = previous.linked[1] if previous is not None and previous.linked[0] == published else {}
    for page in kept:
        if same.get(page.src_path) is page:
            continue
        for call in (c for c in page.calls if c.function == "link"):
            for key in (k for k in call.names if k not in published):
                problems.error(page.src_path, page.body_line + call.line - 1,
                               f'link to the page "{key}", which is published in no language'
                               + (" (a draft)" if key in draft_keys else ""),
                               "Remove the link, or publish that page first.")
    problems.raise_if_any()
    translations: dict[str, dict[str, Page]] = {}
    for page in kept:
        translations.setdefault(page.key, {})[page.language] = page
    config = dataclasses.replace(site.config, languages=languages)
    held = {code: facts for code, facts in verdict.held.items() if facts and code in homes}
    out = dataclasses.replace(site, config=config, pages=tuple(kept), held=MappingProxyType(held),
                              translations=MappingProxyType({k: MappingProxyType(v) for k, v in translations.items()}))
    return Publication(out, tuple(sorted(set(left_out) | missing)), problems.warnings_tuple(),
                       (published, MappingProxyType({page.src_path: page for page in kept})))


def ready_pages(site: Site) -> Site:
    """The published site without the pages replaced by a notice (for the checks of page content)."""
    pages = tuple(page for page in site.pages if page.state != UPDATING)
    translations: dict[str, dict[str, Page]] = {}
    for page in pages:
        translations.setdefault(page.key, {})[page.language] = page
    return dataclasses.replace(site, pages=pages, translations=MappingProxyType(
        {k: MappingProxyType(v) for k, v in translations.items()}))

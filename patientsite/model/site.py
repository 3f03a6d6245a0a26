"""Pure: config + facts + pages -> a complete, frozen `Site` (URLs, translations, navigation,
the facts and links each page uses). What each page shows, as inputs, is render/dependencies.py."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, meta

from patientsite.errors import Problem, Problems, suggest
from patientsite.load.aliases import check_aliases
from patientsite.load.config import Config, Language
from patientsite.load.content import SourcePage, check_menu
from patientsite.load.facts import FACTS_FILE, Facts
from patientsite.load.i18n import Catalogs
from patientsite.load.shortcodes import Call, read_calls
from patientsite.render.markdown import find_images

LIST_FUNCTIONS = {"fact_list", "fact_faq"}
READY, UPDATING, DRAFT = "ready", "updating", "draft"   # what a published page shows (model/publish.py)


@dataclass(frozen=True)
class Page:
    language: str
    key: str
    src_path: str
    title: str
    description: str
    nav: int | None
    nav_title: str
    reviewed: datetime.date
    url: str                       # relative to the site root, e.g. "it/il-trattamento/"
    output_path: str               # e.g. "it/il-trattamento/index.html"
    body: str
    body_line: int
    calls: tuple[Call, ...]         # the fact and link calls in the body
    facts_used: tuple[str, ...]
    links_used: tuple[str, ...]
    sources: tuple[str, ...]
    reviewed_line: int = 1         # the line of `reviewed:` in the source, for review-date messages
    draft: bool = False            # `draft: true`: never in the published site
    critical: bool = False         # `critical: true`: a translation out of date is never published
    state: str = READY             # READY, UPDATING (a notice replaces out-of-date critical text) or DRAFT
    source: SourcePage | None = dataclasses.field(default=None, compare=False, repr=False)  # what it is made from


@dataclass(frozen=True)
class Site:
    config: Config
    facts: Facts
    catalogs: Catalogs
    pages: tuple[Page, ...]
    translations: Mapping[str, Mapping[str, Page]]    # key -> language -> page
    templates: tuple[str, ...]                        # template files a page is made with
    # language -> critical facts whose words are not published there (model/publish.py): no page of the
    # language shows them, its structured data leaves them out
    held: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=lambda: MappingProxyType({}))

    def nav(self, language: str) -> tuple[Page, ...]:
        return tuple(sorted((p for p in self.pages if p.language == language and p.nav is not None),
                            key=lambda p: (p.nav, p.key)))

    def home(self, language: str) -> Page:
        return self.translations["home"][language]

    def page(self, language: str, key: str) -> Page:
        return self.translations[key][language]

    def alternates(self, page: Page) -> tuple[Page, ...]:
        """The page in every language, in the configured language order (itself included)."""
        found = self.translations[page.key]
        return tuple(found[lang.code] for lang in self.config.languages if lang.code in found)


def assemble_site(config: Config, facts: Facts, pages: tuple[SourcePage, ...], catalogs: Catalogs,
                  templates_dir: Path) -> Site:
    """Check that the pages fit together and with the facts; build the frozen model."""
    problems = Problems("assembling the site")
    by_language: dict[str, dict[str, SourcePage]] = {lang.code: {} for lang in config.languages}
    slugs: dict[tuple[str, str], SourcePage] = {}
    for source in pages:
        claims: tuple[tuple[str, dict[Any, SourcePage], object], ...] = (
            ("key", by_language[source.language], source.key), ("slug", slugs, (source.language, source.slug)))
        for field, seen, value in claims:
            other = seen.get(value)
            if other is not None:
                problems.error(source.src_path, source.line_of(field),
                               f'{field} "{source.key if field == "key" else source.slug}" is already used by {other.src_path}',  # noqa: E501
                               f"Give each {source.language} page its own {field}.")
            else:
                seen[value] = source
    _check_every_page_has_a_source(config, by_language, problems)
    check_menu(config, pages, problems)
    templates = _template_closure(templates_dir, "page.html")
    keys = set(by_language[config.source_language.code])   # a link to a page missing here goes to the source's
    built = [model_page(source, config, facts, catalogs, templates, keys, problems) for source in pages]
    check_titles(config, facts, built, problems)
    check_aliases(built, reserved_outputs(config), problems)
    code = config.source_language.code
    if "home" not in by_language[code]:
        problems.error(f"content/{code}/index.md", None, f"the {code} home page is missing",
                       "Create index.md with key: home.")
    problems.raise_if_any()
    order = {lang.code: i for i, lang in enumerate(config.languages)}
    built.sort(key=lambda p: (order[p.language], p.nav if p.nav is not None else -1, p.key))
    translations: dict[str, dict[str, Page]] = {}
    for page in built:
        translations.setdefault(page.key, {})[page.language] = page
    return Site(config, facts, catalogs, tuple(built),
                MappingProxyType({k: MappingProxyType(v) for k, v in translations.items()}), templates)


def model_page(source: SourcePage, config: Config, facts: Facts, catalogs: Catalogs, templates: tuple[str, ...],
               keys: set, problems: Problems) -> Page:
    """One page of the model: its URL, the facts and links it uses (unknown ones reported with their
    line), its sources. `keys`: the page keys a link may name (the source language's)."""
    language = config.language(source.language)
    direct, links_used, calls = _scan(source.body, source.src_path, source.body_line, facts, keys, problems,
                                      source.calls)    # the calls from .cache/sources, else read once here
    in_words = {f for fact_id in direct for f in _words_facts(facts, language, fact_id, keys, problems)}
    facts_used = tuple(sorted(set(direct) | in_words))   # a list's item words may cite facts too
    for doc in source.sources:
        if doc not in facts.documents:
            problems.error(source.src_path, source.line_of("sources"), f'unknown source document "{doc}"',
                           f"{suggest(doc, facts.documents)}Documents are listed in {FACTS_FILE}.")
    sources = set(facts.originals(source.sources))     # a translation is not a second source
    for fact_id in facts_used:
        if fact_id in facts.facts:
            sources.update(facts.originals(facts.facts[fact_id].all_sources()))
    url = f"{language.prefix}/" + (f"{source.slug}/" if source.slug else "")
    return Page(
        language=source.language, key=source.key, src_path=source.src_path, title=source.title,
        description=source.description, nav=_menu_position(config, source.key), nav_title=source.nav_title,
        reviewed=source.reviewed, url=url, output_path=url + "index.html", body=source.body,
        body_line=source.body_line, calls=calls, facts_used=facts_used, links_used=links_used,
        sources=tuple(sorted(sources)),
        reviewed_line=source.line_of("reviewed"), draft=source.draft, critical=source.critical, source=source)


def _menu_position(config: Config, key: str) -> int | None:
    """The page's place in site.yaml's menu (1 first), or None when it is not in the menu."""
    return config.menu.index(key) + 1 if key in config.menu else None


def reserved_outputs(config: Config) -> dict[str, str]:
    """The outputs no alias may take (output path -> what it is; a folder ends with /)."""
    reserved = {"index.html": "the address of the language chooser", "404.html": "the site's 404 page",
                "static/": "in the folder of the site's assets (static/)"}
    reserved.update({f"{lang.prefix}/404.html": f"the {lang.name} 404 page" for lang in config.languages})
    return reserved


def check_titles(config: Config, facts: Facts, pages, problems: Problems) -> None:
    """Every document a page lists among its sources has a title in the page's language."""
    for language in config.languages:
        words = facts.words.get(language.code)
        used = sorted({doc for page in pages if page.language == language.code for doc in page.sources
                       if doc in facts.documents})
        for doc in used if words is not None else ():
            if doc not in words.sources:
                problems.error(words.path, words.lines.get("section:sources", 1),
                               f'no {language.name} title for the source document "{doc}"',
                               f"Add under sources: {doc}: \"...\" (the title patients read, with the "
                               f"language of the document: {facts.documents[doc].title}, "
                               f"{facts.documents[doc].language}).")


def _check_every_page_has_a_source(config: Config, by_language: dict, problems: Problems) -> None:
    """Every page exists in the source language; a translation may be missing (it is not published
    then: model/publish.py)."""
    source = config.source_language
    for language in config.languages:
        for key in sorted(set(by_language[language.code]) - set(by_language[source.code])):
            page = by_language[language.code][key]
            problems.error(page.src_path, page.line_of("key"),
                           f'the page "{key}" has no original in content/{source.code}/ (the source language)',
                           f"Write the {source.name} page first (key: {key}), or correct this page's key.")


def _scan(text: str, path: str, first_line: int, facts: Facts, keys: set, problems: Problems,
          known: tuple[Call, ...] | None = None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Call, ...]]:
    """Find the facts and links a page (or a word text) uses, and its calls; report unknown ones with
    their line. `known`: the text's calls, read by an earlier build (which found no mistake in them)."""
    calls, mistakes = read_calls(text) if known is None else (known, ())
    for mistake in mistakes:
        problems.error(path, first_line + mistake.line - 1, mistake.message, mistake.hint)
    for line, image in find_images(text):
        shown = image if len(image) <= 60 else image[:57] + "..."
        problems.error(path, first_line + line - 1, f"images are not supported yet; {shown} would be dropped "
                       "from the page", "Remove it and say in words what it shows; ask the site's developers "
                       "if the page needs a picture.")
    used, links = [], []
    for call in calls:
        line = first_line + call.line - 1
        for value in call.names:
            if call.function == "link":
                if value not in keys:
                    problems.error(path, line, f'link to an unknown page "{value}"',
                                   f"{suggest(value, keys)}Use the key: of a page in this language.")
                links.append(value)
                continue
            fact = facts.facts.get(value)
            if fact is None:
                problems.error(path, line, f'unknown fact "{value}"',
                               f"{suggest(value, facts.facts)}Facts are defined in {FACTS_FILE}.")
            elif fact.not_on_pages:
                problems.error(path, line, f'"{value}" is marked not_on_pages ({FACTS_FILE}:{fact.line}): '
                               "no page may show it",
                               f"Remove this call, or remove not_on_pages: from the fact in {FACTS_FILE}.")
            elif fact.is_list != (call.function in LIST_FUNCTIONS):
                right = "fact_list" if fact.is_list else "fact"
                problems.error(path, line, f'"{value}" is a {fact.kind}; use {right}()',
                               f'Write {{{{ {right}("{value}") }}}}.')
            elif fact.statement and call.function == "fact_table":
                problems.error(path, line, f'"{value}" is a statement; fact_table() shows numbers',
                               f'Write {{{{ fact("{value}") }}}} in the text instead.')
            used.append(value)
    return tuple(used), tuple(links), calls


def _words_facts(facts: Facts, language: Language, fact_id: str, keys: set,
                 problems: Problems) -> tuple[str, ...]:
    """Facts used inside a list's item words (answers of the FAQ may cite numbers) or a statement's text."""
    fact = facts.facts.get(fact_id)
    words = facts.words.get(language.code)
    if fact is None or words is None:
        return ()
    found: list[str] = []
    if fact.statement and "{" in words.texts.get(fact_id, ""):
        found.extend(_scan(words.texts[fact_id], words.path, words.lines.get(fact_id, 1), facts, keys, problems)[0])
    for item in fact.items:
        for text in words.items.get((fact_id, item.id), {}).values():
            if "{" in text:
                line = words.lines.get(f"{fact_id}#{item.id}", 1)
                inner, _, _ = _scan(text, words.path, line, facts, keys, problems)
                found.extend(inner)
    return tuple(found)


def _template_closure(templates_dir: Path, name: str) -> tuple[str, ...]:
    """The template files a page is rendered with: page.html and what it extends or includes."""
    env = Environment(extensions=["jinja2.ext.i18n"])  # parsed only, never rendered
    seen: list[str] = []
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen or not (templates_dir / current).is_file():
            continue
        seen.append(current)
        try:
            tree = env.parse((templates_dir / current).read_text(encoding="utf-8"))
        except TemplateSyntaxError:
            continue  # reported with its line when rendering
        pending.extend(t for t in meta.find_referenced_templates(tree) if t)
    for extra in sorted((templates_dir / "facts").glob("*.html")) if (templates_dir / "facts").is_dir() else ():
        seen.append(f"facts/{extra.name}")
    return tuple(f"templates/{t}" for t in sorted(set(seen)))


__all__ = ["Page", "Site", "assemble_site", "check_titles", "model_page", "Problem", "Call"]

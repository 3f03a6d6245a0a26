"""One page's rendering: the Jinja environment of a language (StrictUndefined, autoescape, escaped
gettext), and `PageRenderer`, which turns a `Page` into its HTML bytes: the body (shortcodes, then
Markdown, then the sanitiser, with fact values placed after Markdown), the page template, JSON-LD."""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markdown import Markdown
from markupsafe import Markup, escape

from patientsite.checks import review
from patientsite.errors import Problems
from patientsite.load.config import Language
from patientsite.load.i18n import format_amount, format_long_date
from patientsite.load.shortcodes import expand, read_calls
from patientsite.model.site import DRAFT, UPDATING, Page, Site
from patientsite.render import markdown as md_
from patientsite.render import structured


def template_environment(templates_dir: Path, language: Language, translations) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "xml"], default_for_string=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, auto_reload=False)
    install_escaped_gettext(env, translations)
    env.filters["long_date"] = lambda date: format_long_date(date, language)
    return env


def install_escaped_gettext(env: Environment, translations) -> None:
    """gettext for templates that treats every translation as untrusted text. Jinja's newstyle gettext
    marks a translation safe (Markup) when autoescaping is on; escaping it first makes the Markup hold
    plain text, so a translator's `<script>` or `"` is shown, never run (the placeholders' values are
    escaped by Markup's `%` as before)."""
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda message: escape(translations.gettext(message)),
        ngettext=lambda singular, plural, n: escape(translations.ngettext(singular, plural, n)),
        pgettext=lambda context, message: escape(translations.pgettext(context, message)),
        npgettext=lambda context, singular, plural, n: escape(translations.npgettext(context, singular, plural, n)),
        newstyle=True)


# Placeholders for fact values and blocks, put in before Markdown and filled after it. They are made of
# private-use characters, which textfile.read_source refuses in every content file: no page or word
# can forge one (the text "FACTV0X" in a page is shown as it is).
OPEN, CLOSE = "\ue000", "\ue001"
_PLACEHOLDER_P = re.compile(f"<p>{OPEN}(B)(\\d+){CLOSE}</p>")
_PLACEHOLDER = re.compile(f"{OPEN}([BTV])(\\d+){CLOSE}")   # T: a statement's words, inline
_H2 = re.compile(r'<h2 id="([^"<>]+)">(.*?)</h2>', re.S)    # a page's own sections: its "On this page" links
BOOKING_KEY = "consultation"    # the page the "book a first consultation" links go to
SEARCH_SLUG = "search/"         # each language's search page, under its home page (render/search.py)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page's folder to another page (or file) that also works from a local folder:
    what posixpath.relpath gives for these normalised site paths, without its cost."""
    target = (to_url + "index.html" if to_url == "" or to_url.endswith("/") else to_url).split("/")
    start = [part for part in from_url.split("/")[:-1] if part]
    common = 0
    while common < min(len(start), len(target) - 1) and start[common] == target[common]:
        common += 1
    return "../" * (len(start) - common) + "/".join(target[common:])


class PageRenderer:
    """Renders one language's pages; fact functions are bound to the page being rendered."""

    def __init__(self, site: Site, language: Language, templates_dir: Path, problems: Problems,
                 notices: Mapping[tuple[str, str], datetime.date], markdown_cache: int = 0,
                 reuse: PageRenderer | None = None):
        self.site, self.language, self.problems, self.notices = site, language, problems, notices
        self.words = site.facts.words[language.code]
        # `reuse`: a renderer of the same language, templates and catalogue (the preview's last one),
        # whose environment, compiled templates, Markdown and text-keyed HTML stay valid
        self.env: Environment = reuse.env if reuse else template_environment(
            templates_dir, language, site.catalogs.translations[language.code])
        self.md: Markdown = reuse.md if reuse else md_.make_markdown()
        self.templates_dir = templates_dir
        self.fact_order = tuple(sorted(site.facts.facts))    # placeholder number -> fact id
        self.fact_ids = {fact_id: index for index, fact_id in enumerate(self.fact_order)}
        self.values: dict[str, str] = {}        # fact id -> its HTML in this language
        self.inline_html: dict[str, str] = reuse.inline_html if reuse else {}   # word text -> its inline HTML
        # the preview's: digest of a body with its calls replaced -> its Markdown HTML, which does not
        # depend on the fact values (they are placed after Markdown), so a fact edit skips Markdown
        self.markdown_cache = markdown_cache
        self.markdown_html: dict[bytes, str] = reuse.markdown_html if reuse else {}
        self.nav = site.nav(language.code)
        self.plain_lists: dict[str, list[dict]] = {}   # list fact id -> item words as plain text
        self.fallbacks: set[str] = set()    # the body's links to a source-language page (see `link`)

    def rebind(self, site: Site, notices: Mapping[tuple[str, str], datetime.date]) -> PageRenderer:
        """A renderer for a changed site whose configuration, templates and catalogues are the same
        (the preview): this one's environment, compiled templates, Markdown and HTML by text, and
        nothing that depends on the facts or the pages."""
        return PageRenderer(site, self.language, self.templates_dir, self.problems, notices, self.markdown_cache,
                             reuse=self)

    # -- the functions a page body may call ---------------------------------------------------
    def _functions(self, page: Page, blocks: list[str]) -> dict:
        def fact(fact_id: str) -> str:
            # a placeholder Markdown leaves alone; the value's HTML replaces it after Markdown
            if self.site.facts.facts[fact_id].statement:
                text = self._inline(page, self.words.texts[fact_id], blocks)
                blocks.append(f'<span class="fact-statement" data-fact="{escape(fact_id)}">{text}</span>')
                return f"{OPEN}T{len(blocks) - 1}{CLOSE}"
            return f"{OPEN}V{self.fact_ids[fact_id]}{CLOSE}"

        def block(template: str, **context) -> str:
            html = self.env.get_template(template).render(**context, **self._common(page))
            blocks.append(html)
            return f"{OPEN}B{len(blocks) - 1}{CLOSE}"

        def fact_list(fact_id: str) -> str:
            return block("facts/list.html", fact=self._list(page, fact_id, blocks))

        def fact_faq(fact_id: str) -> str:
            return block("facts/faq.html", fact=self._list(page, fact_id, blocks))

        def fact_table(fact_ids) -> str:
            rows = [{"id": f, "label": self.words.labels[f], "value": Markup(self.value(f)),
                     "sources": self.titles(self.site.facts.facts[f].all_sources())} for f in fact_ids]
            return block("facts/table.html", rows=rows)

        def help_box() -> str:
            clinic = self.site.config.clinic_in(self.language.code)
            phone = Markup('<a href="tel:{}">{}</a>').format(clinic.phone.replace(" ", ""), clinic.phone)
            return block("facts/help.html", phone=phone, emergency=clinic.emergency_number)

        def link(key: str) -> str:
            # a page not published in this language: its source-language page (model/publish.py)
            found = self.site.translations[key]
            target = found.get(self.language.code) or found[self.site.config.source_language.code]
            url = relative_url(page.url, target.url)
            if target.language != self.language.code:
                self.fallbacks.add(url)     # marked with its language after Markdown (`body`)
            return url

        return {"fact": fact, "fact_list": fact_list, "fact_faq": fact_faq, "fact_table": fact_table,
                "help_box": help_box, "link": link}

    def titles(self, doc_ids) -> list[str]:
        """The titles patients read for these documents: originals only, in this language's words."""
        return [self.words.sources[doc] for doc in self.site.facts.originals(doc_ids)]

    def _list(self, page: Page, fact_id: str, blocks: list[str]) -> dict:
        fact = self.site.facts.facts[fact_id]
        items = []
        for item in fact.items:
            texts = {name: Markup(self._inline(page, text, blocks))
                     for name, text in self.words.items[(fact_id, item.id)].items()}
            items.append({
                "id": item.id, "words": texts,
                "terms": {name: self.words.terms[term] for name, term in item.terms},
                "amounts": {name: format_amount(a, self.language, self.words) for name, a in item.amounts},
                "sources": item.sources,
            })
        return {"id": fact_id, "label": self.words.labels[fact_id], "items": items, "critical": fact.critical}

    def _inline(self, page: Page, text: str, blocks: list[str]) -> str:
        calls = read_calls(text)[0]
        if calls:
            text = expand(text, calls, self._functions(page, blocks))
        html = self.inline_html.get(text)
        if html is None:
            html = self.inline_html[text] = md_.sanitize(md_.to_inline_html(self.md, text))
        return html

    def value(self, fact_id: str) -> str:
        html = self.values.get(fact_id)
        if html is None:
            text = format_amount(self.site.facts.facts[fact_id].amount, self.language, self.words)
            html = self.values[fact_id] = f'<span class="fact" data-fact="{escape(fact_id)}">{escape(text)}</span>'
        return html

    def _fill(self, html: str, blocks: list[str]) -> str:
        """Put the fact values and blocks in place of their placeholders (blocks may hold values)."""
        def replace(match) -> str:
            kind, index = match.group(1), int(match.group(2))
            return self.value(self.fact_order[index]) if kind == "V" else blocks[index]

        for _depth in range(3):
            if OPEN not in html:
                break
            html = _PLACEHOLDER_P.sub(replace, html)
            html = _PLACEHOLDER.sub(replace, html)
        return html

    # -- whole pages -------------------------------------------------------------------------
    def _common(self, page: Page) -> dict:
        return {"lang": self.language, "page": page, "root": relative_url(page.url, "")[: -len("index.html")] or "./"}

    def body(self, page: Page) -> Markup:
        blocks: list[str] = []
        self.fallbacks = set()
        text = expand(page.body, page.calls, self._functions(page, blocks))
        if not self.markdown_cache:
            return self._mark_fallbacks(md_.sanitize(self._fill(md_.to_html(self.md, text), blocks)))
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        html = self.markdown_html.pop(key, None)
        if html is None:
            html = md_.to_html(self.md, text)
            if len(self.markdown_html) >= self.markdown_cache:
                del self.markdown_html[next(iter(self.markdown_html))]   # the least recently used
        self.markdown_html[key] = html
        return self._mark_fallbacks(md_.sanitize(self._fill(html, blocks)))

    def _mark_fallbacks(self, html: str) -> Markup:
        """Links to the source-language page of a page not published in this language say so (hreflang)."""
        code = self.site.config.source_language.code
        for url in sorted(self.fallbacks):
            html = html.replace(f'href="{escape(url)}"', f'href="{escape(url)}" hreflang="{code}"')
        return Markup(html)

    def page(self, page: Page) -> bytes:
        site, config = self.site, self.site.config
        alternates = [(site.config.language(p.language), p, relative_url(page.url, p.url))
                      for p in site.alternates(page)]
        x_default = site.page(config.source_language.code, page.key)
        updated = self.notices.get((page.language, page.key))  # the Italian changed since translating
        notice = None if updated is None else {"updated": updated, "url": relative_url(page.url, x_default.url),
                                                "title": x_default.title, "lang": config.source_language.code}
        reviewer = config.reviewer_in(page.language, self.words.terms)
        source = config.source_language
        updating = None if page.state != UPDATING else {   # critical text not ready: a notice replaces the page
            "url": relative_url(page.url, x_default.url), "title": x_default.title, "lang": source.code,
            "language": self.language.babel.languages.get(source.code, source.name)}
        switcher = [(lang, found.get(lang.code), relative_url(page.url, found[lang.code].url)
                     if lang.code in found else None)
                    for lang in config.languages for found in [site.translations[page.key]]]
        context = dict(
            self._common(page), body=Markup("") if updating else self.body(page), config=config,
            clinic=config.clinic_in(page.language),
            reviewer=reviewer, reviewer_role=reviewer.role, reviewer_title=reviewer.title,
            canonical=config.base_url + page.url,     # x-default: the language chooser for the home pages
            x_default=config.base_url + ("" if page.key == site.home(page.language).key else x_default.url),
            alternates=alternates, hreflangs=[(lang.code, config.base_url + p.url) for lang, p, _ in alternates],
            nav=[(p, relative_url(page.url, p.url)) for p in self.nav],
            home_url=relative_url(page.url, site.home(self.language.code).url),
            sources=self.titles(page.sources), translation_notice=notice,
            next_review=review.next_review(page.reviewed, config), json_ld=functools.partial(self.json_ld, page),
            booking_url=self._booking_url(page), chooser_url=relative_url(page.url, ""),
            switcher=switcher, updating=updating, draft=page.state == DRAFT,
            leaflet_url=relative_url(page.url, f"{site.home(page.language).url}leaflet/"),   # render/leaflet.py
            search_url=relative_url(page.url, site.home(self.language.code).url + SEARCH_SLUG),
        )
        context["contents"] = [(anchor, Markup(text).striptags()) for anchor, text in _H2.findall(context["body"])]
        return self.env.get_template("page.html").render(context).encode("utf-8")

    def _booking_url(self, page: Page) -> str | None:
        """The page about booking a first consultation (key "consultation"), if the site has one."""
        found = self.site.translations.get(BOOKING_KEY, {}).get(page.language)
        return relative_url(page.url, found.url) if found is not None and found.key != page.key else None

    def json_ld(self, page: Page, therapy: str) -> Markup:
        """The page's structured data (structured.py), with list words as plain text."""
        held = self.site.held.get(page.language, frozenset())     # critical words not ready: left out
        lists = {fact_id: [] if fact_id in held else self._plain_list(page, fact_id)
                 for fact_id in structured.json_ld_facts(self.site, page)}
        therapy = Markup(therapy).unescape()    # a translation, escaped as text for HTML; JSON has its own
        reviewer = self.site.config.reviewer_in(page.language, self.words.terms)
        return structured.json_ld(self.site, page, therapy, reviewer, lists)

    def _plain_list(self, page: Page, fact_id: str) -> list[dict]:
        """A list fact's item words as plain text: the same on every page, so made once."""
        found = self.plain_lists.get(fact_id)
        if found is None:
            blocks: list[str] = []
            found = self.plain_lists[fact_id] = [
                {name: Markup(self._fill(str(text), blocks)).striptags() for name, text in item["words"].items()}
                for item in self._list(page, fact_id, blocks)["items"]]
        return found

    def partial(self, name: str, **context) -> Markup:
        return Markup(self.env.get_template(name).render(lang=self.language, **context))

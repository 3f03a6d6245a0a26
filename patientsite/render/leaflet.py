"""The printable leaflet: per language, one page (`<lang>/leaflet/index.html`) that gathers every page's
text in the patient's order (the home page, then the menu's order, then any page outside the menu),
with the clinic's header, each page's review line, the sources, the clinic's contacts and the help box.

Each page's body is rendered as if it lived at the leaflet's address, then rewritten for one document:
headings one level down (the leaflet has the only h1; a page's title is an h2), every id prefixed with
its page (`page-<key>--<id>`; keys never hold "--"), links to a page of the same language turned into
links to its section, and the FAQ's questions open."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Collection

from markupsafe import Markup

from patientsite.checks import review
from patientsite.model.site import Page, Site
from patientsite.render.page import PageRenderer, relative_url

FOLDER = "leaflet"                      # <lang>/leaflet/index.html
TEMPLATE = "leaflet.html"

# a start or end tag as our templates and the sanitizer write them (attribute values double-quoted)
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_TAG = re.compile(rf"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*{_VALUE})?)*)(\s*/?)>""")
_ATTRIBUTE = re.compile(rf"""(\s+)([^\s"'<>/=]+)(?:(\s*=\s*)({_VALUE}))?""")
_ID_ATTRIBUTES = {"id", "aria-labelledby", "aria-describedby", "aria-controls", "for", "headers"}


def leaflet_url(site: Site, language: str) -> str:
    """The leaflet's address, relative to the site root: e.g. "en/leaflet/"."""
    return f"{site.home(language).url}{FOLDER}/"


def pdf_name(language: str) -> str:
    """The PDF's file name beside the leaflet page (a saved file says its language)."""
    return f"leaflet-{language}.pdf"


def pdf_path(site: Site, language: str) -> str:
    return leaflet_url(site, language) + pdf_name(language)


def section_id(page: Page) -> str:
    return f"page-{page.key}"


def leaflet_pages(site: Site, language: str) -> tuple[Page, ...]:
    """The patient's order: the home page, the menu's order, then the pages outside the menu by key."""
    home = site.home(language)
    menu = site.nav(language)
    rest = sorted((p for p in site.pages if p.language == language and p is not home and p not in menu),
                  key=lambda p: p.key)
    return (home, *(p for p in menu if p is not home), *rest)


def render_leaflets(site: Site, renderers: dict[str, PageRenderer], with_pdf: bool = False,
                    languages: Collection[str] | None = None) -> list[tuple[str, bytes]]:
    """The leaflet page of every language (or of `languages`); `with_pdf`: it links its PDF (render/pdf.py)."""
    return [(leaflet_url(site, lang.code) + "index.html", render_leaflet(site, renderers[lang.code], with_pdf))
            for lang in site.config.languages if languages is None or lang.code in languages]


def render_leaflet(site: Site, renderer: PageRenderer, with_pdf: bool) -> bytes:
    config, code = site.config, renderer.language.code
    url = leaflet_url(site, code)
    pages = leaflet_pages(site, code)
    words = site.facts.words[code]
    links = {relative_url(url, p.url): section_id(p) for p in pages}
    sections = [{"page": p, "id": section_id(p), "notice": _notice(site, renderer, p, url), "body": Markup(
        one_document(renderer.body(dataclasses.replace(p, url=url)), p, links))} for p in pages]
    sources: list[str] = []
    for page in pages:
        sources.extend(title for title in renderer.titles(page.sources) if title not in sources)
    others = [(lang, {"language": lang.code}, relative_url(url, leaflet_url(site, lang.code)))
              for lang in config.languages]
    clinic = config.clinic
    phone = Markup('<a href="tel:{}">{}</a>').format(clinic.phone.replace(" ", ""), clinic.phone)
    context = dict(
        lang=renderer.language, config=config, clinic=clinic, reviewer=config.reviewer,
        reviewer_role=words.terms[config.reviewer.role], reviewer_title=words.terms[config.reviewer.title],
        root=relative_url(url, "")[: -len("index.html")], page={"language": code, "key": None},
        alternates=others, nav=[(p, relative_url(url, p.url)) for p in renderer.nav],
        home_url=relative_url(url, site.home(code).url), sections=sections, sources=sources,
        reviewed=review_date(site, code), next_review=min(review.next_review(p.reviewed, config) for p in pages),
        pdf_url=pdf_name(code) if with_pdf else None, phone=phone, emergency=clinic.emergency_number,
    )
    return renderer.env.get_template(TEMPLATE).render(context).encode("utf-8")


def _notice(site: Site, renderer: PageRenderer, page: Page, url: str) -> dict | None:
    """The out-of-date notice of a translation the Italian page has moved ahead of, as on the page."""
    updated = renderer.notices.get((page.language, page.key))
    if updated is None:
        return None
    source = site.page(site.config.source_language.code, page.key)
    return {"updated": updated, "url": relative_url(url, source.url), "title": source.title, "lang": source.language}


def one_document(html: str, page: Page, links: dict[str, str]) -> str:
    """A page's body made a part of the leaflet (see the module's docstring)."""
    prefix = f"{section_id(page)}--"

    def attribute(match: re.Match) -> str:
        space, name, equals, value = match.groups()
        if value is None or not value.startswith('"'):
            return match.group()
        text = value[1:-1]
        lowered = name.lower()
        if lowered in _ID_ATTRIBUTES:
            text = " ".join(prefix + part for part in text.split())
        elif lowered == "href":
            text = _link(text, prefix, links)
        return f'{space}{name}{equals}"{text}"'

    def tag(match: re.Match) -> str:
        closing, name, attributes, end = match.groups()
        level = re.fullmatch(r"[hH]([1-6])", name)
        if level:
            name = f"h{min(int(level.group(1)) + 1, 6)}"
        attributes = _ATTRIBUTE.sub(attribute, attributes)
        if name.lower() == "details" and not closing and not re.search(r"\sopen\b", attributes):
            attributes += " open"
        return f"<{closing}{name}{attributes}{end}>"

    return _TAG.sub(tag, html)


def _link(href: str, prefix: str, links: dict[str, str]) -> str:
    """An anchor on the page -> its prefixed id; a page of the leaflet -> its section (or an anchor in it)."""
    if href.startswith("#"):
        return "#" + prefix + href[1:] if len(href) > 1 else href
    target, _, fragment = href.partition("#")
    section = links.get(target)
    if section is None:
        return href
    return f"#{section}--{fragment}" if fragment else f"#{section}"


def review_date(site: Site, language: str) -> datetime.date:
    """The date the leaflet's text was last reviewed: the latest of its pages' (its PDF's date)."""
    return max(p.reviewed for p in leaflet_pages(site, language))

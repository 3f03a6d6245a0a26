"""The printable leaflet: per language, one page (`<lang>/leaflet/index.html`) that gathers every page's text in
the patient's order (the home page, then the menu's order, then any page outside the menu), with the
clinic's header, each page's review line, the sources, the clinic's contacts and the help box.

It is made from the rendered pages, not rendered again (so the render cache and the preview's rebuild
serve it too): each page's body, between the `<!--page-body-->` markers of templates/page.html, is made
a part of one document: headings one level down (the leaflet has the only h1; a page's title is an h2),
every id prefixed with its page (`page-<key>--<id>`; keys never hold "--"), links to a page of the same
language turned into links to its section, other relative addresses rebased, the FAQ's questions open."""

from __future__ import annotations

import datetime
import hashlib
import posixpath
import re
from collections.abc import Collection, Iterator, Mapping
from threading import Event
from urllib.parse import urlsplit

from markupsafe import Markup

from patientsite.checks import review
from patientsite.errors import Interrupted, Problems
from patientsite.model.site import Page, Site
from patientsite.render.page import PageRenderer, relative_url

FOLDER = "leaflet"                      # <lang>/leaflet/index.html
TEMPLATE = "leaflet.html"
PARTS_KEPT = 20_000                     # leaflet parts this process keeps (a large site's worth)
BODY_START, BODY_END = "<!--page-body-->", "<!--/page-body-->"     # around the body in templates/page.html

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


def render_leaflets(site: Site, renderers: dict[str, PageRenderer], files: Mapping[str, bytes], problems: Problems,
                    with_pdf: bool = False, languages: Collection[str] | None = None,
                    cache=None, stop: Event | None = None,
                    keep_parts: bool = True) -> Iterator[tuple[str, Iterator[str]]]:
    """The leaflet page of every language (or of `languages`), from the rendered pages in `files`,
    one at a time as (output path, the template's pieces of its text): a 10 MB page is never joined
    (render_site writes it piece by piece); take each leaflet's pieces before asking for the next.
    `with_pdf`: it links its PDF (render/pdf.py). Each page's part is kept by its body's bytes in
    `cache` (a RenderCache: a warm build makes none) and, with `keep_parts` (the preview: only an
    edited page's part is made again), in this process. `stop` set (the preview's next save): Interrupted."""
    for lang in site.config.languages:
        if stop is not None and stop.is_set():
            raise Interrupted()
        if languages is None or lang.code in languages:
            chunks = leaflet_chunks(site, renderers[lang.code], files, problems, with_pdf, cache, stop, keep_parts)
            if chunks is not None:
                yield leaflet_url(site, lang.code) + "index.html", chunks


def leaflet_chunks(site: Site, renderer: PageRenderer, files: Mapping[str, bytes], problems: Problems,
                   with_pdf: bool, cache=None, stop: Event | None = None,
                   keep_parts: bool = True) -> Iterator[str] | None:
    """One language's leaflet as the template's pieces, or None when a page's body is missing (reported)."""
    config, code = site.config, renderer.language.code
    url = leaflet_url(site, code)
    pages = leaflet_pages(site, code)
    links = {p.output_path: section_id(p) for p in pages} | {p.url: section_id(p) for p in pages}
    links_key = hashlib.sha256(repr(sorted(links.items())).encode()).hexdigest()
    sections = []
    for page in pages:
        if stop is not None and stop.is_set():       # a save came: it goes first (checked per page)
            raise Interrupted()
        rendered = files.get(page.output_path)
        if rendered is None:        # the page failed to render: its error is reported already
            return None
        body = page_body(rendered.decode("utf-8"))
        if body is None:
            problems.error("templates/page.html", None, f"{page.output_path} has no {BODY_START}...{BODY_END} "
                           "around its body, which the leaflet gathers",
                           f"Keep {BODY_START} and {BODY_END} around {{{{ body }}}} in templates/page.html.")
            return None
        sections.append({"page": page, "id": section_id(page), "notice": _notice(site, renderer, page, url),
                         "body": Markup(_part(body, page, url, links, links_key, cache, keep_parts))})
    words = site.facts.words[code]
    sources: list[str] = []
    for page in pages:
        sources.extend(title for title in renderer.titles(page.sources) if title not in sources)
    others = [(lang, {"language": lang.code}, relative_url(url, leaflet_url(site, lang.code)))
              for lang in config.languages]
    clinic = config.clinic_in(code)
    reviewer = config.reviewer_in(code, words.terms)
    phone = Markup('<a href="tel:{}">{}</a>').format(clinic.phone.replace(" ", ""), clinic.phone)
    context = dict(
        lang=renderer.language, config=config, clinic=clinic, reviewer=reviewer,
        reviewer_role=reviewer.role, reviewer_title=reviewer.title,
        root=relative_url(url, "")[: -len("index.html")], page={"language": code, "key": None},
        switcher=others, nav=[(p, relative_url(url, p.url)) for p in renderer.nav],
        home_url=relative_url(url, site.home(code).url), sections=sections, sources=sources,
        reviewed=review_date(site, code), next_review=min(review.next_review(p.reviewed, config) for p in pages),
        pdf_url=pdf_name(code) if with_pdf else None, phone=phone, emergency=clinic.emergency_number,
    )
    return _generated(renderer.env.get_template(TEMPLATE).generate(context), stop)


def _generated(chunks: Iterator[str], stop: Event | None) -> Iterator[str]:
    """What render() joins, piece by piece."""
    for chunk in chunks:
        if stop is not None and stop.is_set():     # a large leaflet takes a while: a save still goes first
            raise Interrupted()
        yield chunk


_parts: dict[str, str] = {}      # a page's part of the leaflet, by what it is made from (this process)


def _part(body: str, page: Page, url: str, links: Mapping[str, str], links_key: str, cache,
          keep: bool = True) -> str:
    """`one_document(body, page, url, links)`, from this process's parts or the cache when made before;
    kept in this process when `keep` (a one-off build does not: its site's parts are 50 MB at 3,000 pages)."""
    key = hashlib.sha256(f"{page.output_path} {page.url} {page.key} {url} {links_key} ".encode()
                         + body.encode("utf-8")).hexdigest()
    part = _parts.get(key)
    if part is None and cache is not None:
        entry = cache.get(key)
        part = entry.decode("utf-8") if entry is not None else None
    if part is None:
        part = one_document(body, page, url, links)
        if cache is not None:
            cache.put(key, part.encode("utf-8"))
    if keep:
        if len(_parts) > PARTS_KEPT:
            _parts.clear()
        _parts[key] = part
    return part


def page_body(html: str) -> str | None:
    """A rendered page's body: what templates/page.html puts between its markers."""
    start = html.find(BODY_START)
    end = html.find(BODY_END, start)
    return html[start + len(BODY_START):end] if start >= 0 and end >= 0 else None


def _notice(site: Site, renderer: PageRenderer, page: Page, url: str) -> dict | None:
    """The out-of-date notice of a translation the Italian page has moved ahead of, as on the page."""
    updated = renderer.notices.get((page.language, page.key))
    if updated is None:
        return None
    source = site.page(site.config.source_language.code, page.key)
    return {"updated": updated, "url": relative_url(url, source.url), "title": source.title, "lang": source.language}


def one_document(html: str, page: Page, url: str, links: Mapping[str, str]) -> str:
    """A page's body made a part of the leaflet at `url` (see the module's docstring); `links`: the
    output paths and addresses of the leaflet's pages -> their section ids."""
    prefix = f"{section_id(page)}--"

    def attribute(match: re.Match) -> str:
        space, name, equals, value = match.groups()
        if value is None or not value.startswith('"'):
            return match.group()
        text = value[1:-1]
        lowered = name.lower()
        if lowered in _ID_ATTRIBUTES:
            text = " ".join(prefix + part for part in text.split())
        elif lowered in ("href", "src"):
            text = _address(text, prefix, page.url, url, links)
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


def _address(href: str, prefix: str, from_url: str, to_url: str, links: Mapping[str, str]) -> str:
    """An anchor on the page -> its prefixed id; a page of the leaflet -> its section (or an anchor in
    it); another relative address -> the same file, seen from the leaflet."""
    if href.startswith("#"):
        return "#" + prefix + href[1:] if len(href) > 1 else href
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/") or not parts.path:
        return href
    target = posixpath.normpath(posixpath.join(from_url, parts.path))
    if parts.path.endswith("/") or parts.path in (".", ".."):
        target += "/"
    section = links.get(target)
    if section is not None:
        return f"#{section}--{parts.fragment}" if parts.fragment else f"#{section}"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return relative_url(to_url, target) + query + fragment


def review_date(site: Site, language: str) -> datetime.date:
    """The date the leaflet's text was last reviewed: the latest of its pages' (its PDF's date)."""
    return max(p.reviewed for p in leaflet_pages(site, language))

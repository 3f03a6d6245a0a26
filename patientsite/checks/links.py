"""The links of the built site: every internal link and #anchor resolves and stays in the page's
language; hreflang clusters are complete and reciprocal with an x-default; the sitemap's
alternates match the pages'."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from patientsite.checks.htmldoc import Document
from patientsite.errors import Problems
from patientsite.model.site import Site

SITEMAP = "sitemap.xml"
_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_OTHER_SCHEMES = ("mailto:", "tel:")


def target_path(site: Site, from_path: str, href: str) -> tuple[str | None, str]:
    """(output path, #fragment) an href points to; None for a link outside the site."""
    base = site.config.base_url
    if href.startswith(base):
        parts = urlsplit(href[len(base):])
        path = unquote(parts.path)
    else:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None, ""
        path = unquote(parts.path)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), path)) if path else from_path
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
    if path in ("", ".", "/") or path.endswith("/"):
        path = path.rstrip("/") + "/index.html" if path.strip("./") else "index.html"
    return path.lstrip("/"), parts.fragment


# where a piece of built text comes from: (output path, snippet, HTML line) -> (source path, line)
Locate = Callable[..., tuple[str, int | None]]


def check_links(site: Site, docs: dict[str, Document], files: set[str], locate: Locate,
                problems: Problems) -> None:
    prefixes = {lang.prefix: lang.code for lang in site.config.languages}
    ids = {path: doc.ids() for path, doc in docs.items()}
    keys = {page.output_path: page.key for page in site.pages}
    for path, doc in docs.items():
        for element in doc.iter():
            attribute = "href" if element.tag in ("a", "link", "area") else "src" if "src" in element.attrs else None
            if attribute is None or attribute not in element.attrs:
                continue
            href = element.attrs[attribute]
            if href.startswith(_OTHER_SCHEMES):
                if not href.split(":", 1)[1].strip():
                    problems.error(*locate(path, href, element.line), f'the link "{href}" has no address', "")
                continue
            target, fragment = target_path(site, path, href)
            if target is None:
                continue
            where = locate(path, href, element.line)
            if target not in files:
                hint = ("Add the missing / at the end: pages are folders." if target + "/index.html" in files
                        else "Link pages with {{ link(\"key\") }}; check the address.")
                problems.error(*where, f'broken link "{href}": {target} does not exist', hint)
                continue
            if fragment and target in ids and fragment not in ids[target]:
                problems.error(*where, f'broken link "{href}": {target} has no element with id "{fragment}"',
                               "Anchors are the ids of headings: check the heading's words.")
            target_language = prefixes.get(target.split("/", 1)[0]) if "/" in target else None
            language = element.language() or doc.lang
            missing_here = language and language.split("-")[0] not in site.translations.get(keys.get(target), {})
            if (element.tag == "a" and target_language and language and not missing_here
                    and language.split("-")[0] != target_language
                    and "hreflang" not in element.attrs and "lang" not in element.attrs):
                problems.error(*where, f'the link "{href}" leaves the page\'s language ({language}) for a page '
                               f"in {target_language}",
                               "Link the page of this language (write {{ link(\"key\") }}); only the language "
                               "switcher and the source documents may lead to another language.")


def alternates(doc: Document) -> dict[str, str]:
    return {e.attrs.get("hreflang", ""): e.attrs.get("href", "") for e in doc.head_links("alternate")
            if "hreflang" in e.attrs}


def check_alternates(site: Site, docs: dict[str, Document], files: dict[str, bytes], problems: Problems) -> None:
    base = site.config.base_url
    codes = [lang.code for lang in site.config.languages]
    by_url = {base + page.url: page for page in site.pages}
    by_path = {page.output_path: page for page in site.pages}
    for path, doc in docs.items():
        page = by_path.get(path)
        found = alternates(doc)
        if page is None:
            if found and path != "index.html":     # the language chooser: the home pages' x-default
                problems.error(path, None, "a page outside the translated pages declares hreflang alternates",
                               "Only pages with translations take part in hreflang clusters.")
            continue
        where = page.src_path
        url = base + page.url
        canonical = [e.attrs.get("href") for e in doc.head_links("canonical")]
        if canonical != [url]:
            problems.error(path, None, f"the canonical link is {canonical or 'missing'}, not {url}", "")
        for code in [*(c for c in codes if c in site.translations[page.key]), "x-default"]:
            if code not in found:     # every language the page is published in (model/publish.py)
                problems.error(where, None, f'the hreflang cluster has no "{code}" alternate ({path})',
                               "templates/page.html must list every language and x-default.")
        for code, href in sorted(found.items()):
            if code == "x-default" and href == base:    # the language chooser
                continue
            other = by_url.get(href)
            if other is None:
                problems.error(where, None, f'hreflang "{code}" points to {href}, which is not a page of the site', "")
                continue
            if code == "x-default":
                continue
            if other.language != code:
                problems.error(where, None, f'hreflang "{code}" points to {href}, a page in {other.language}', "")
            back = alternates(docs[other.output_path]) if other.output_path in docs else {}
            if back.get(page.language) != url:
                problems.error(where, None,
                               f'hreflang is not reciprocal: {href} does not list {url} as "{page.language}"',
                               "Every page of a cluster must list all the others.")
            if back.get("x-default") != found.get("x-default"):
                problems.error(where, None, f"the x-default of {href} differs from this page's", "")
        if found.get(page.language) != url:
            problems.error(where, None, f'the cluster does not list the page itself as "{page.language}"', "")
    _check_sitemap(site, docs, files, problems)


def _check_sitemap(site: Site, docs: dict[str, Document], files: dict[str, bytes], problems: Problems) -> None:
    if SITEMAP not in files:
        problems.error(SITEMAP, None, "the site has no sitemap", "")
        return
    try:
        root = ET.fromstring(files[SITEMAP])
    except ET.ParseError as exc:
        problems.error(SITEMAP, exc.position[0], f"the sitemap is not well-formed XML: {exc}", "")
        return
    base = site.config.base_url
    by_url = {base + page.url: page for page in site.pages}
    listed = set()
    for entry in root.findall(f"{_SM}url"):
        loc = (entry.findtext(f"{_SM}loc") or "").strip()
        listed.add(loc)
        if loc == base:     # the language chooser
            continue
        page = by_url.get(loc)
        if page is None or page.output_path not in docs:
            problems.error(SITEMAP, None, f"the sitemap lists {loc}, which is not a page of the site", "")
            continue
        given = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{_XHTML}link")
                 if link.get("rel") == "alternate"}
        if given != alternates(docs[page.output_path]):
            problems.error(SITEMAP, None, f"the sitemap's alternates for {loc} differ from the page's hreflang links",
                           "templates/sitemap.xml and templates/page.html must list the same alternates.")
    for page in site.pages:
        if base + page.url not in listed:
            problems.error(SITEMAP, None, f"the sitemap does not list {base + page.url} ({page.src_path})", "")

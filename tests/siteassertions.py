"""What every built site must satisfy (issue 2), checked on the small site and the real one."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from htmlpage import html_files, parse_page

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def content_pages(out: Path, languages) -> dict:
    return {rel: parse_page(out, rel) for rel in html_files(out)
            if rel.split("/")[0] in languages and not rel.endswith(("404.html", "/search/index.html"))
            and "/leaflet/" not in rel}


def assert_site(out: Path, base_url: str, languages: list[str], source: str) -> dict:
    pages = content_pages(out, languages)
    by_url = {base_url + rel[: -len("index.html")]: page for rel, page in pages.items()}
    assert pages, "no pages were built"
    for rel, page in pages.items():
        code = rel.split("/")[0]
        assert page.lang == code, rel
        assert page.title.strip() and page.description.strip(), rel
        assert page.canonical == base_url + rel[: -len("index.html")], rel
        # hreflang: every language plus x-default, absolute, reciprocal
        assert set(page.alternates) == set(languages) | {"x-default"}, rel
        assert page.alternates[code] == page.canonical, rel
        for lang in languages:
            other = by_url[page.alternates[lang]]
            assert other.lang == lang
            assert other.alternates[code] == page.canonical, f"{rel} <-> {other.path} not reciprocal"
        # x-default: the language chooser for the home pages, the source language's page for the others
        home = rel == f"{code}/index.html"
        assert page.alternates["x-default"] == (base_url if home else page.alternates[source]), rel
        # the switcher links to the same page in every language, with lang and hreflang
        switcher = page.switcher()
        assert set(switcher) == set(languages), rel
        for lang, target in switcher.items():
            assert base_url + target[: -len("index.html")] == page.alternates[lang], rel
        # links are relative and resolve; nothing is loaded from elsewhere; no scripts
        for href, _attrs in page.links:
            if href.startswith(("mailto:", "tel:")):
                continue
            if href.startswith("#"):
                assert href[1:] in page.ids, f"{rel}: no element with id {href}"
                continue
            assert "://" not in href and not href.startswith("/"), f"{rel}: {href}"
            assert (out / page.resolve(href)).is_file(), f"{rel}: broken link {href}"
        for href in page.stylesheets + page.srcs:
            assert "://" not in href and not href.startswith("/"), f"{rel}: {href}"
        assert all(s.get("type") == "application/ld+json" for s in page.scripts), rel
    # sitemap: one <url> per page, alternates matching the pages' hreflang links
    tree = ET.parse(out / "sitemap.xml")
    urls = tree.getroot().findall(f"{SM}url")
    assert len(urls) == len(pages) + 1 and urls[0].find(f"{SM}loc").text == base_url    # and the chooser
    for url in urls[1:]:
        page = by_url[url.find(f"{SM}loc").text]
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert alternates == page.alternates
    # the language chooser: a link to every language's home, no script, no redirect
    chooser = parse_page(out, "index.html")
    assert {attrs.get("hreflang") for _href, attrs in chooser.links} == set(languages)
    raw = (out / "index.html").read_text()
    assert "<script" not in raw and "http-equiv" not in raw
    assert (out / "404.html").is_file() and (out / "robots.txt").read_text().endswith(f"Sitemap: {base_url}sitemap.xml\n")
    return pages


def tree_bytes(out: Path) -> dict:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

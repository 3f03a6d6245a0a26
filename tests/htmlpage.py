"""A small HTML reader for tests: the parts of a built page that the checks look at."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class ParsedPage:
    path: str
    lang: str = ""
    title: str = ""
    description: str = ""
    canonical: str = ""
    alternates: dict = field(default_factory=dict)     # hreflang -> absolute URL
    links: list = field(default_factory=list)          # (href, attrs) of every <a>
    stylesheets: list = field(default_factory=list)
    scripts: list = field(default_factory=list)        # attrs of every <script>
    facts: dict = field(default_factory=dict)          # data-fact -> [text, ...]
    text: str = ""
    ids: set = field(default_factory=set)
    srcs: list = field(default_factory=list)

    def resolve(self, href: str) -> str:
        """The output path a relative link points to (without #anchor)."""
        target = href.split("#", 1)[0]
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.path), target))

    def switcher(self) -> dict:
        """hreflang -> output path of the language switcher's links."""
        return {attrs["hreflang"]: self.resolve(href) for href, attrs in self.links
                if "hreflang" in attrs and "lang" in attrs}


class _Reader(HTMLParser):
    def __init__(self, page: ParsedPage):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, str | None]] = []
        self.in_title = False
        self.skip = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if "src" in a:
            self.page.srcs.append(a["src"])
        if tag == "html":
            self.page.lang = a.get("lang", "")
        elif tag == "title":
            self.in_title = True
        elif tag == "meta" and a.get("name") == "description":
            self.page.description = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.page.canonical = a["href"]
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.page.alternates[a["hreflang"]] = a["href"]
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.page.stylesheets.append(a["href"])
        elif tag == "a" and "href" in a:
            self.page.links.append((a["href"], a))
        elif tag == "script":
            self.page.scripts.append(a)
            self.skip += 1
        if tag not in ("meta", "link", "br", "img", "input", "hr"):
            self.stack.append((tag, a.get("data-fact") if tag == "span" else None))
            if tag == "span" and a.get("data-fact"):
                self.chunks_start = len(self.chunks)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "script":
            self.skip -= 1
        while self.stack:
            open_tag, fact = self.stack.pop()
            if fact:
                self.page.facts.setdefault(fact, []).append("".join(self.chunks[self.chunks_start:]).strip())
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.page.title += data
        elif not self.skip:
            self.chunks.append(data)


def parse_page(out: Path, rel: str) -> ParsedPage:
    page = ParsedPage(rel)
    reader = _Reader(page)
    reader.feed((out / rel).read_text(encoding="utf-8"))
    page.text = " ".join("".join(reader.chunks).split())
    return page


def html_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))

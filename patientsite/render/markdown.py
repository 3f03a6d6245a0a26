"""One configured Python-Markdown, and the allow-list sanitizer (nh3) for content HTML."""

from __future__ import annotations

import html
import re

import markdown as _markdown
import nh3
from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    slugify_unicode,
    strip_tags,
    unique,
)

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "code", "dd", "details", "div", "dl", "dt", "em", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_COMMON = {"class", "id", "lang"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": _COMMON | {"href", "hreflang", "title"},
    "abbr": _COMMON | {"title"},
    "span": _COMMON | {"data-fact"},
    "aside": _COMMON | {"role", "data-help"},     # the "When to get help" box
    "div": _COMMON | {"data-fact", "data-item"},
    "section": _COMMON | {"data-fact", "data-item", "aria-labelledby"},
    "details": _COMMON | {"data-item"},          # a question of the FAQ
    "ul": _COMMON | {"data-fact"},
    "ol": _COMMON | {"data-fact", "start"},
    "dl": _COMMON | {"data-fact"},
    "table": _COMMON | {"data-fact"},
    "li": _COMMON | {"data-item"},
    "tr": _COMMON | {"data-fact", "data-item"},
    "th": _COMMON | {"scope", "colspan", "rowspan"},
    "td": _COMMON | {"colspan", "rowspan", "data-label"},   # data-label: shown when a table becomes cards
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# What the sanitizer removes and the build names (a warning with path:line): script-like tags, event
# handlers, and script or data URLs. `data:` is ordinary prose ("Personal data: ..."), so it counts
# only where a URL stands: a Markdown link target, an autolink, a link definition or an attribute.
_URL_START = r"(?:\]\(\s*<?|^\s*\[[^\]\n]+\]:\s*<?|<|\b[a-z:-]+\s*=\s*[\"']?\s*)"
_UNSAFE = re.compile(r"<\s*(script|iframe|object|embed|style)\b|\son[a-z]+\s*=|(?P<url>(?:java|vb)script\s*:)"
                     rf"|{_URL_START}(?P<data>data\s*:)", re.IGNORECASE | re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\s*(?:\(([^)\n]*)\)|\[[^\]\n]*\])|<\s*img\b[^>\n]*>?", re.IGNORECASE)


class _HeadingIds(TocTreeprocessor):
    """The toc extension's heading ids, without the table of contents it would also build and
    serialise on every page (no page shows it): the same ids, a quarter of its time. A page that
    writes the [TOC] marker gets the whole extension, as before."""

    def run(self, doc) -> None:
        if self.marker and any(el.tag == "p" and (el.text or "").strip() == self.marker for el in doc.iter()):
            super().run(doc)
            return
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        id_counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                    el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, id_counters)


class _HeadingIdsExtension(TocExtension):
    TreeProcessorClass = _HeadingIds


def make_markdown() -> _markdown.Markdown:
    """The one Markdown configuration the site uses (tables; heading ids for #anchors), one instance
    per renderer, reset and reused for every page."""
    return _markdown.Markdown(
        extensions=["tables", "sane_lists", _HeadingIdsExtension(slugify=slugify_unicode, toc_depth="2-4")],
        output_format="html",
    )


def to_html(md: _markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


def to_inline_html(md: _markdown.Markdown, text: str) -> str:
    """Markdown for a short text (a list item's words): no wrapping paragraph."""
    html = to_html(md, text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def find_unsafe_markup(text: str) -> list[tuple[int, str]]:
    """(line within text, what) for scripts, event handlers and javascript:, vbscript: or data: URLs."""
    found: list = []
    if ("<" not in text and "=" not in text and ":" not in text) or not _UNSAFE.search(text):
        return found          # (each kind needs one of these characters: most pages are read no further)
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _UNSAFE.finditer(line):
            what = match.group("url") or match.group("data") or match.group(0)
            found.append((number, re.sub(r"\s+", "", what) if what[-1] == ":" else what.strip()))
    return found


def find_images(text: str) -> list[tuple[int, str]]:
    """(line within text, the image as written) for every Markdown or HTML image: the sanitizer would
    drop them, so they are refused."""
    if "![" not in text and "<" not in text:
        return []
    return [(number, match.group(0)) for number, line in enumerate(text.splitlines(), start=1)
            for match in _IMAGE.finditer(line)]

"""Built HTML pages as small element trees (the standard library's html.parser), for the checks:
elements with their attributes and source line, text with or without some elements, links and ids."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end is the end of a sentence for readability: blocks, list items, cells, headings.
BLOCKS = {"address", "blockquote", "caption", "dd", "div", "dt", "figcaption", "footer", "h1", "h2", "h3",
          "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "section", "table", "td", "th", "tr", "ul"}
HIDDEN = {"script", "style", "template", "title", "head"}


class Element:
    def __init__(self, tag: str, attrs: dict, line: int, parent: Element | None):
        self.tag, self.attrs, self.line, self.parent = tag, attrs, line, parent
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs} line {self.line}>"

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        """Elements by tag and attribute values (attr=True: the attribute is present)."""
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if all((name.replace("_", "-") in element.attrs) if value is True
                   else element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items()):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def language(self) -> str:
        """The nearest lang attribute, this element's own included."""
        for node in (self, *self.ancestors()):
            if "lang" in node.attrs:
                return node.attrs["lang"]
        return ""

    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    def text(self, skip: Callable[[Element], bool] | None = None) -> str:
        """The visible text, whitespace collapsed; elements for which skip() is true are left out."""
        return " ".join(self._text(skip, blocks=False).split())

    def block_texts(self, skip: Callable[[Element], bool] | None = None) -> list[str]:
        """The visible text cut at every block element: each piece ends a sentence."""
        return [" ".join(t.split()) for t in self._text(skip, blocks=True).split("\n\n") if t.strip()]

    def _text(self, skip, blocks: bool) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in HIDDEN or (skip is not None and skip(child)):
                continue
            elif child.tag == "br":
                parts.append("\n\n" if blocks else " ")
            else:
                inner = child._text(skip, blocks)
                parts.append(f"\n\n{inner}\n\n" if blocks and child.tag in BLOCKS else inner)
        return "".join(parts)


class Document(Element):
    """A parsed page: the root of the tree, with its ids."""

    def __init__(self, path: str):
        super().__init__("#document", {}, 1, None)
        self.path = path

    @property
    def html(self) -> Element:
        return self.find("html") or self

    @property
    def lang(self) -> str:
        return self.html.attrs.get("lang", "")

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.iter() if "id" in e.attrs}

    def head_links(self, rel: str) -> list[Element]:
        return [e for e in self.find_all("link") if rel in e.attrs.get("rel", "").split()]

    def meta(self, name: str) -> str | None:
        element = self.find("meta", name=name)
        return element.attrs.get("content", "") if element is not None else None


class _Builder(HTMLParser):
    def __init__(self, document: Document):
        super().__init__(convert_charrefs=True)
        self.current: Element = document

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.getpos()[0], self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(path: str, text: str) -> Document:
    document = Document(path)
    builder = _Builder(document)
    builder.feed(text)
    builder.close()
    return document

"""`content/<lang>/*.md` -> `SourcePage`s: front matter checked, body line offset kept."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .config import Config
from .errors import Problems
from .yamlload import Node, Seq, check_keys, parse_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
HOME = "index.md"
FRONT_MATTER_KEYS = {"title", "description", "key", "slug", "nav", "nav_title", "reviewed", "sources"}
REQUIRED_KEYS = ("title", "description", "key", "slug", "reviewed")


@dataclass(frozen=True)
class SourcePage:
    language: str
    src_path: str           # relative to the project root, e.g. content/it/treatment.md
    key: str                # translation key, shared by the page's translations
    title: str
    description: str
    slug: str               # "" for a language's home page
    nav: int | None
    nav_title: str
    reviewed: datetime.date
    sources: tuple[str, ...]
    body: str
    body_line: int          # file line of the body's first line
    key_lines: tuple[tuple[str, int], ...]   # front matter key -> file line

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, 1)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter, body, body's first line number)."""
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return None, text, 1
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return "".join(lines[1:]), "", len(lines) + 1


def load_content(config: Config) -> tuple[SourcePage, ...]:
    """Read every language's pages; report every front-matter problem together."""
    problems = Problems("reading the pages")
    pages = []
    for language in config.languages:
        folder = config.root / "content" / language.code
        if not folder.is_dir():
            problems.error(f"content/{language.code}", None, f"the {language.name} content folder is missing",
                           f"Create content/{language.code}/ with the language's pages and words.yaml.")
            continue
        for path in sorted(folder.glob("*.md")):
            rel = f"content/{language.code}/{path.name}"
            page = read_page(rel, path.name, path.read_text(encoding="utf-8"), language.code, problems)
            if page is not None:
                pages.append(page)
    problems.raise_if_any()
    return tuple(pages)


def read_page(rel: str, name: str, text: str, language: str, problems: Problems) -> SourcePage | None:
    """One page file's text -> its SourcePage, or None with its problems in `problems`."""
    front, body, body_line = split_front_matter(text)
    if front is None:
        problems.error(rel, 1, "the page has no front matter",
                       "Start the file with a '---' line, the title, description, key, slug and reviewed "
                       "date, and another '---' line.")
        return None
    data, found = parse_yaml(front, rel, line_offset=1)
    problems.errors.extend(found)
    if found:
        return None
    if not isinstance(data, Node):
        problems.error(rel, 2, "the front matter must be 'key: value' lines", "")
        return None
    home = name == HOME
    required = [k for k in REQUIRED_KEYS if not (home and k == "slug")]
    check_keys(data, FRONT_MATTER_KEYS, rel, "the front matter", problems, required=required)
    slug = data.get("slug", "")
    if home and "slug" in data:
        problems.error(rel, data.line_of("slug"), "the home page (index.md) has no slug",
                       "Delete the slug line: the home page is the language's folder itself.")
    elif not home and "slug" in data and (not isinstance(slug, str) or not SLUG.match(slug)):
        problems.error(rel, data.line_of("slug"), f'slug "{slug}" may only use a-z, 0-9 and single "-"',
                       'Write the slug like "il-trattamento": no "/", "..", spaces, accents or capitals.')
    key = data.get("key", "")
    if home and "key" in data and key != "home":
        problems.error(rel, data.line_of("key"), f'the home page (index.md) has key "{key}"',
                       "Write key: home; every language's index.md is the home page.")
    if "key" in data and (not isinstance(key, str) or not KEY.match(key)):
        problems.error(rel, data.line_of("key"), f'key "{key}" may only use a-z, 0-9, "-" and "_"',
                       "Use the same key as the page's translations in the other languages.")
    reviewed = data.get("reviewed")
    if "reviewed" in data and not isinstance(reviewed, datetime.date):
        problems.error(rel, data.line_of("reviewed"), f'reviewed "{reviewed}" is not a date',
                       "Write the date as YYYY-MM-DD, e.g. reviewed: 2026-11-20.")
    nav = data.get("nav")
    if nav is not None and (not isinstance(nav, int) or isinstance(nav, bool)):
        problems.error(rel, data.line_of("nav"), f'nav "{nav}" must be a whole number (the position in the menu)', "")
    sources = data.get("sources") or Seq()
    if not isinstance(sources, list):
        problems.error(rel, data.line_of("sources"), "sources must be a list", "Write sources: [doc-000].")
        sources = []
    for field in ("title", "description", "nav_title"):
        if field in data and not str(data[field] or "").strip():
            problems.error(rel, data.line_of(field), f"{field} is empty", f"Write the page's {field}.")
    if any(p.path == rel for p in problems.errors):
        return None
    return SourcePage(
        language=language, src_path=rel, key=key, title=str(data["title"]), description=str(data["description"]),
        slug="" if home else slug, nav=nav, nav_title=str(data.get("nav_title") or data["title"]),
        reviewed=reviewed, sources=tuple(str(s) for s in sources), body=body, body_line=body_line,
        key_lines=tuple(sorted(data.key_lines.items())),
    )


__all__ = ["SourcePage", "load_content", "read_page", "split_front_matter"]

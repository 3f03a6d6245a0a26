"""`content/<lang>/*.md` -> `SourcePage`s: front matter checked, body line offset kept."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from dataclasses import dataclass

from patientsite.errors import Problems, shown
from patientsite.load.aliases import read_aliases
from patientsite.load.config import Config
from patientsite.load.textfile import decode_source, read_bytes
from patientsite.load.units import Unit, page_unit_of
from patientsite.load.yamlload import Node, Seq, check_keys, parse_yaml, type_name

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
HOME = "index.md"
# the other files a language folder holds; anything else there (FAQ.MD, faq.markdown, notes.txt) is
# an error rather than a page silently left out
LANGUAGE_FILES = {"words.yaml", "messages.po", "claims.yaml", "translations.lock"}
FRONT_MATTER_KEYS = {"title", "description", "key", "slug", "nav_title", "reviewed", "sources", "untranslated",
                     "draft", "critical", "aliases"}
FLAGS = ("draft", "critical")   # true or false; draft: not published; critical: never published out of date
REQUIRED_KEYS = ("title", "description", "key", "slug", "reviewed")


@dataclass(frozen=True)
class SourcePage:
    language: str
    src_path: str           # relative to the project root, e.g. content/it/treatment.md
    key: str                # translation key, shared by the page's translations
    title: str
    description: str
    slug: str               # "" for a language's home page
    nav_title: str
    reviewed: datetime.date
    sources: tuple[str, ...]
    body: str
    body_line: int          # file line of the body's first line
    key_lines: tuple[tuple[str, int], ...]   # front matter key -> file line
    unit: Unit | None = dataclasses.field(default=None, compare=False, repr=False)   # its translation unit, as read
    untranslated: bool = False   # a skeleton of add-language, still the source text (never ready)
    draft: bool = False     # kept out of the published site (shown, marked, in the preview)
    critical: bool = False  # a translation out of date is never published (model/publish.py)
    aliases: tuple[tuple[str, int], ...] = ()   # old addresses (/en/old-page/) and their lines (load/aliases.py)
    # from .cache/sources (load/sourcecache.py): the body's calls, which have no mistake (else None: read
    # them from the body), and the copy check's verdict on the page's text (else (): judge it)
    calls: tuple | None = dataclasses.field(default=None, compare=False, repr=False)
    foreign: tuple = dataclasses.field(default=(), compare=False, repr=False)
    sha: str = dataclasses.field(default="", compare=False, repr=False)   # sha256 of the file's bytes ("": not known)

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, 1)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter, body, body's first line number)."""
    text = text.removeprefix("\ufeff")
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return None, text, 1
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return "".join(lines[1:]), "", len(lines) + 1


def load_content(config: Config, cache=None) -> tuple[SourcePage, ...]:
    """Read every language's pages; report every front-matter problem together. `cache`
    (load/sourcecache.py): a page whose file has the bytes of an entry is taken from it, not parsed."""
    problems = Problems("reading the pages")
    pages = []
    for language in config.languages:
        folder = config.root / "content" / language.code
        if not folder.is_dir():
            problems.error(f"content/{language.code}", None, f"the {language.name} content folder is missing",
                           f"Create content/{language.code}/ with the language's pages and words.yaml.")
            continue
        check_file_names(folder, f"content/{language.code}", problems)
        for path in sorted(folder.glob("*.md")):
            rel = f"content/{language.code}/{path.name}"
            data = read_bytes(config.root, rel, problems)
            page = None if data is None or cache is None else cache.page(rel, data)
            if page is None and data is not None:
                text = decode_source(data, rel, problems)
                page = None if text is None else read_page(rel, path.name, text, language.code, problems,
                                                           hashlib.sha256(data).hexdigest())
            if page is not None:
                pages.append(page)
    problems.raise_if_any()
    return tuple(pages)


def check_menu(config: Config, pages, problems: Problems) -> None:
    """site.yaml's menu names pages by key, the same in every language: each key must be a page of the
    source language (a language that lacks it, or whose translation is not ready, leaves it out of its
    menu with the page: checks/translations.py)."""
    if not config.menu:
        return
    lines = config.menu_lines
    for language in (config.source_language,):
        keys = {p.key for p in pages if p.language == language.code}
        for key in config.menu:
            if key not in keys and (config.root / "content" / language.code).is_dir():
                others = sorted({p.language for p in pages if p.key == key})
                where = f" (it is a page of {', '.join(others)})" if others else ""
                problems.error("site.yaml", lines.get(key), f'the menu lists the page "{key}", but '
                               f"content/{language.code}/ has no page with key: {key}{where}",
                               f"Add the page to content/{language.code}/ (python build.py i18n add-language makes "
                               "the skeleton of every page), or delete the key from menu: in site.yaml.")


def check_file_names(folder, rel_folder: str, problems: Problems) -> None:
    """Every file of a language folder is a page (lower-case name ending .md) or one of the language's
    files; a page saved as FAQ.MD or faq.markdown would otherwise be left out without a word."""
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") or name in LANGUAGE_FILES or (name.endswith(".md") and path.is_file()
                                                               and name == name.lower()):
            continue
        rel = f"{rel_folder}/{name}"
        lower = name.lower()
        if path.is_dir():
            what, hint = "a folder in a language folder is not read", "Move it out of the content folder."
        elif lower.endswith((".md", ".markdown", ".mdown", ".mkd", ".txt", ".text")) or lower in LANGUAGE_FILES:
            stem = lower.rsplit(".", 1)[0] if lower not in LANGUAGE_FILES else lower
            better = lower if lower in LANGUAGE_FILES else f"{stem}.md"
            what, hint = "this file is not read: pages end in .md, in lower case", f"Rename it {better}."
        else:
            what, hint = "this file is not read (not a page, words.yaml, claims.yaml, messages.po or " \
                         "translations.lock)", "Move it out of the content folder, or rename it if it is a page."
        problems.error(rel, None, what, hint)


def read_page(rel: str, name: str, text: str, language: str, problems: Problems, sha: str = "") -> SourcePage | None:
    """One page file's text -> its SourcePage, or None with its problems in `problems`. `sha`: the
    sha256 of the file's bytes (what the render cache digests the page's own fields by)."""
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
    checked = Node({k: v for k, v in data.items() if k != "nav"})    # nav: has its own message below
    checked.line, checked.key_lines = data.line, data.key_lines
    check_keys(checked, FRONT_MATTER_KEYS, rel, "the front matter", problems, required=required)
    slug = data.get("slug", "")
    if home and "slug" in data:
        problems.error(rel, data.line_of("slug"), "the home page (index.md) has no slug",
                       "Delete the slug line: the home page is the language's folder itself.")
    elif not home and "slug" in data and (not isinstance(slug, str) or not SLUG.fullmatch(slug)):
        problems.error(rel, data.line_of("slug"), f'slug "{shown(slug)}" may only use a-z, 0-9 and single "-"',
                       'Write the slug like "il-trattamento": no "/", "..", spaces, accents or capitals.')
    key = data.get("key", "")
    if home and "key" in data and key != "home":
        problems.error(rel, data.line_of("key"), f'the home page (index.md) has key "{shown(key)}"',
                       "Write key: home; every language's index.md is the home page.")
    if "key" in data and (not isinstance(key, str) or not KEY.fullmatch(key)):
        problems.error(rel, data.line_of("key"), f'key "{shown(key)}" may only use a-z, 0-9, "-" and "_"',
                       "Use the same key as the page's translations in the other languages.")
    reviewed = data.get("reviewed")
    if "reviewed" in data and (not isinstance(reviewed, datetime.date) or isinstance(reviewed, datetime.datetime)):
        what = "is a date with a time" if isinstance(reviewed, datetime.datetime) else "is not a date"
        problems.error(rel, data.line_of("reviewed"), f'reviewed "{shown(reviewed)}" {what}',
                       "Write the date as YYYY-MM-DD, e.g. reviewed: 2026-11-20.")
    if "nav" in data:
        problems.error(rel, data.line_of("nav"), "nav: is no longer read: the menu's order is given once for "
                       "every language, by page key, in site.yaml's menu: list", f"Delete this line, and list "
                       f'the page\'s key ("{shown(key)}") under menu: in site.yaml where it belongs in the menu.')
    sources = data.get("sources") or Seq()
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        problems.error(rel, data.line_of("sources"), "sources must be a list of document ids",
                       "Write sources: [doc-000].")
        sources = []
    for field in ("title", "description", "nav_title"):
        value = data.get(field)
        if field in data and value is not None and not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.error(rel, data.line_of(field), f"{field} must be a line of text, not "
                           f"{type_name(value, detail=True)}",
                           f'Write {field}: followed by the text on the same line; put text with ":", "[" or "{{" '
                           "in quotes.")
        elif field in data and not str(value or "").strip():
            problems.error(rel, data.line_of(field), f"{field} is empty", f"Write the page's {field}.")
    if "untranslated" in data and data["untranslated"] is not True:
        problems.error(rel, data.line_of("untranslated"), f'untranslated "{shown(data["untranslated"])}" can only '
                       "be true", "Delete the line once the page is translated; write untranslated: true until then.")
    for flag in FLAGS:
        if flag in data and not isinstance(data[flag], bool):
            problems.error(rel, data.line_of(flag), f'{flag} "{shown(data[flag])}" must be true or false',
                           f"Write {flag}: true, or delete the line.")
    aliases = read_aliases(data, rel, problems)
    if any(p.path == rel for p in problems.errors):
        return None
    return SourcePage(
        language=language, src_path=rel, key=key, title=str(data["title"]), description=str(data["description"]),
        slug="" if home else slug, nav_title=str(data.get("nav_title") or data["title"]),
        reviewed=reviewed, sources=tuple(str(s) for s in sources), body=body, body_line=body_line,
        key_lines=tuple(sorted(data.key_lines.items())), unit=page_unit_of(rel, data, body, body_line),
        untranslated=data.get("untranslated") is True, draft=data.get("draft") is True,
        critical=data.get("critical") is True, aliases=aliases, sha=sha,
    )


__all__ = ["type_name", "check_file_names", "SourcePage", "load_content", "read_page", "split_front_matter"]

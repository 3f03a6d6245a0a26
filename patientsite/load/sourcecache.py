"""The pages as the load stage parsed them, kept between builds in `.cache/sources` by each file's bytes.

A page file whose bytes (sha256) are those of an entry is not decoded or parsed again: its
`SourcePage` (front matter, body, translation unit) comes from the entry, with what the later stages
found in its text (the body's calls, load/shortcodes.py; the copy check's verdict, checks/copies.py).
Only pages of a build that succeeded are kept, so a file with a problem is always read again and its
problem reported at `path:line`.

The file is `patientsite-sources <sha256 of the rest>\\n` then the entries, marshalled: plain strings,
numbers and tuples only, which cannot run code when read. A cache file that is missing, short, altered,
made by other code (the key covers the generator's code and libraries), a symbolic link, not a regular
file or not of the expected shape is ignored: every page is read again. (An entry's calls are taken as
they are: only a file with a valid checksum gets that far, and its entries are checked for their
shapes, their language's folder and their key's and slug's forms.) The checksum finds damage, not
forgery: like `.cache/pages`, a file someone wrote on purpose with a valid checksum is trusted, and
what it made is kept in `.cache/pages` too; `build --no-cache` (or deleting `.cache/`) renders again.
A cache that cannot be written is left alone (the render cache beside it warns). A damaged cache can
never change the output, nor stop the build.
"""

from __future__ import annotations

import datetime
import hashlib
import marshal
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from patientsite.load.content import HOME, KEY, SLUG, SourcePage
from patientsite.load.shortcodes import Call
from patientsite.load.units import Unit
from patientsite.write import write_atomically

SOURCES_FILE = ".cache/sources"
MAGIC = b"patientsite-sources "
MAX_CACHE_BYTES = 1 << 30


class SourceCache:
    """`page(rel, data)`: the cached page of these bytes, or None; `keep(pages, ...)` writes the
    entries of a build that succeeded. `read=False` (`--no-cache`): nothing is read, all is written."""

    def __init__(self, root: Path, version: str, read: bool = True):
        self.path, self.version = root / SOURCES_FILE, version
        self.entries: dict = _read(self.path, version) if read else {}
        self.shas: dict[str, str] = {}        # rel -> sha256 of the bytes this build read
        self.used: set[str] = set()           # the pages taken from their entries

    def page(self, rel: str, data: bytes) -> SourcePage | None:
        sha = hashlib.sha256(data).hexdigest()
        self.shas[rel] = sha
        entry = self.entries.get(rel)
        if entry is None or entry[0] != sha:
            return None
        try:
            page = _thaw(rel, sha, entry[1])
        except Exception:                     # not of the expected shape: read the file
            return None
        self.used.add(rel)
        return page

    def keep(self, pages: Iterable, verdict) -> None:
        """Write the entries of `pages` (the modelled pages of a build that succeeded, each with its
        `source` and the `calls` the model read without a mistake; those whose files this build
        hashed), with `verdict(source)`, when they differ from what was read."""
        fresh = {}
        for page in pages:
            sha = self.shas.get(page.src_path)
            if sha is None:
                continue
            if page.src_path in self.used:
                fresh[page.src_path] = self.entries[page.src_path]
                continue
            fresh[page.src_path] = (sha, _freeze(page.source, page.calls, verdict(page.source)))
        if fresh == self.entries:
            return
        payload = marshal.dumps((self.version, fresh))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_dir() and not self.path.is_symlink():
                return
            write_atomically(self.path, MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        except OSError:
            return                            # left alone; the render cache beside it warns
        self.entries = fresh


def _read(path: Path, version: str) -> dict:
    """The entries of a whole cache file of this version, else {}."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return {}
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read()
    except OSError:
        return {}
    finally:
        os.close(handle)
    header, newline, payload = data.partition(b"\n")
    if not newline or header != MAGIC + hashlib.sha256(payload).hexdigest().encode():
        return {}
    try:
        found, entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if found != version or not isinstance(entries, dict):
        return {}
    return {rel: entry for rel, entry in entries.items() if isinstance(rel, str) and isinstance(entry, tuple)
            and len(entry) == 2 and isinstance(entry[0], str)}


def _freeze(page: SourcePage, calls: tuple[Call, ...], verdict: str | None) -> tuple:
    unit = page.unit
    return (page.language, page.key, page.title, page.description, page.slug, page.nav_title,
            page.reviewed.isoformat(), page.sources, page.body, page.body_line, page.key_lines,
            None if unit is None else (unit.kind, unit.id, unit.text, unit.path, unit.line, unit.critical,
                                       unit.problem, unit.fuzzy, unit.lines),
            page.untranslated, page.draft, page.critical, page.aliases,
            tuple(map(tuple, calls)), verdict)


def _thaw(rel: str, sha: str, value: tuple) -> SourcePage:
    (language, key, title, description, slug, nav_title, reviewed, sources, body, body_line, key_lines, unit,
     untranslated, draft, critical, aliases, calls, verdict) = value
    texts = (language, key, title, description, slug, nav_title, body)
    if not all(isinstance(text, str) for text in texts) or not isinstance(body_line, int) \
            or not all(isinstance(flag, bool) for flag in (untranslated, draft, critical)) \
            or not (verdict is None or isinstance(verdict, str)) \
            or not rel.startswith(f"content/{language}/") or not KEY.fullmatch(key) \
            or not (slug == "" if rel.endswith("/" + HOME) else SLUG.fullmatch(slug)) \
            or not isinstance(calls, tuple) or not all(_is_call(call) for call in calls):
        raise TypeError("not a cached page")
    return SourcePage(
        language=language, src_path=rel, key=key, title=title, description=description, slug=slug,
        nav_title=nav_title, reviewed=datetime.date.fromisoformat(reviewed), sources=_strings(sources),
        body=body, body_line=body_line, key_lines=_pairs(key_lines),
        unit=None if unit is None else _unit(*unit), untranslated=untranslated, draft=draft, critical=critical,
        aliases=_pairs(aliases), calls=tuple(map(Call._make, calls)), foreign=(verdict,),
        sha=sha)


def _is_call(call) -> bool:
    """A call as `Call` has it: (function, names, line, start, end)."""
    return isinstance(call, tuple) and len(call) == 5 and isinstance(call[0], str) \
        and isinstance(call[1], tuple) and all(isinstance(name, str) for name in call[1]) \
        and all(isinstance(n, int) and not isinstance(n, bool) for n in call[2:])


def _unit(kind, id, text, path, line, critical, problem, fuzzy, lines) -> Unit:
    if not all(isinstance(v, str) for v in (kind, id, text, path, problem)) or not isinstance(lines, tuple) \
            or not (line is None or isinstance(line, int)) or not all(isinstance(n, int) for n in lines):
        raise TypeError("not a cached unit")
    return Unit(kind, id, text, path, line, bool(critical), problem, bool(fuzzy), lines=lines)


def _strings(values) -> tuple[str, ...]:
    if not isinstance(values, tuple) or not all(isinstance(v, str) for v in values):
        raise TypeError("not a tuple of strings")
    return values


def _pairs(values) -> tuple[tuple[str, int], ...]:
    if not isinstance(values, tuple) or not all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int) for v in values):
        raise TypeError("not a tuple of (text, line)")
    return values

"""The render cache: each output page stored under a digest of everything it is made from.

A page's digest covers the generator's own code and the versions of the libraries that shape its
output, the templates, its language's UI strings (the catalogue bytes read by the load stage, never
read again), the site's configuration and structure (titles, URLs, navigation), the page itself, and
what its dependency record (render/dependencies.py) names: its translation notice, the values of the
facts it shows and the words of those whose words it shows. So a changed input always changes the
digest of every page that depends on it, and of no other page.

An entry is a header naming its digest and the sha256 of the page, then the page. An entry that is
missing, short, altered, a symbolic link, a folder or unreadable is a miss: the page is rendered again
and the entry rewritten. A cache that cannot be written is left alone: the build goes on without it
and warns once. A damaged cache can never change the output.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import os
import posixpath
import shutil
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from patientsite import __version__
from patientsite.errors import Problem
from patientsite.load.facts import Fact
from patientsite.model.site import Page, Site
from patientsite.render import structured
from patientsite.render.dependencies import PageDependencies, page_dependencies, page_notice
from patientsite.write import write_atomically

CACHE_DIR = ".cache/pages"
LIBRARIES = ("jinja2", "markdown", "babel", "nh3", "markupsafe", "pyyaml")   # they shape every page
MAGIC = b"patientsite-page "


def _digest(*parts) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(repr(part).encode("utf-8"))
        sha.update(b"\x00")
    return sha.hexdigest()


def folder_digest(folder: Path) -> str:
    """The digest of every file below a folder (names and contents)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return sha.hexdigest()


def templates_digest(templates_dir: Path) -> str:
    """The digest of the templates pages are made with: the templates folder but static/ (which the
    pages only link to; it is copied as it is)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in templates_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(templates_dir).as_posix()
        if not rel.startswith("static/"):
            sha.update(rel.encode() + b"\x00" + path.read_bytes() + b"\x00")
    return sha.hexdigest()


def code_digest(package: Path) -> str:
    """The generator's code (every *.py of its package folder and its subfolders) and the versions of
    Python and of the libraries that shape its output."""
    sha = hashlib.sha256(f"{__version__} {sys.version_info[:3]}".encode())
    for path in sorted(package.rglob("*.py")):
        sha.update(b"\x00" + path.relative_to(package).as_posix().encode() + b"\x00" + path.read_bytes())
    for name in LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        sha.update(f"\x00{name}={version}".encode())
    return sha.hexdigest()


@functools.lru_cache(maxsize=1)
def generator_digest() -> str:
    """`code_digest` of this package, once per process: the code this process runs, even if the
    files are edited while a preview runs."""
    return code_digest(Path(__file__).resolve().parent.parent)     # patientsite/, not render/


@dataclass(frozen=True)
class SiteDigests:
    """What the pages depend on, each part digested once per build."""

    common: str                   # generator, templates, configuration, site structure, documents
    language: dict                # language code -> its catalogue, units, terms and document titles
    templates: str                # the templates (templates_digest) as they were before rendering
    # fact id -> what of it a page shows
    facts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # language -> fact id -> its words
    words: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    # src_path -> (page, its own fields' digest)
    own: Mapping[str, tuple[Page, str]] = field(default_factory=lambda: MappingProxyType({}))


def site_digests(site: Site, templates_dir: Path, previous: SiteDigests | None = None) -> SiteDigests:
    """The digests of a site; those of the pages that are the same objects as in `previous` are kept."""
    structure = tuple((p.language, p.key, p.url, p.title, p.nav, p.nav_title, p.reviewed) for p in site.pages)
    templates = templates_digest(templates_dir)
    common = _digest(generator_digest(), templates, site.config, structure, tuple(site.facts.documents.values()))
    per_language, words_shown = {}, {}
    for language in site.config.languages:
        words = site.facts.words[language.code]
        per_language[language.code] = _digest(site.catalogs.digests[language.code], sorted(
            (unit, sorted(forms.items())) for unit, forms in words.units.items()), sorted(words.terms.items()),
            sorted(words.sources.items()))
        words_shown[language.code] = MappingProxyType({fact_id: _digest(
            words.labels.get(fact_id), words.texts.get(fact_id),
            tuple(sorted(words.items.get((fact_id, item.id), {}).items()) for item in fact.items))
            for fact_id, fact in site.facts.facts.items()})
    facts = {fact_id: _digest(fact_shown(fact)) for fact_id, fact in site.facts.facts.items()}
    kept = previous.own if previous is not None else {}
    own = {}
    for page in site.pages:
        before = kept.get(page.src_path)
        own[page.src_path] = before if before is not None and before[0] is page else (page, _own_digest(page))
    return SiteDigests(common, per_language, templates, MappingProxyType(facts), MappingProxyType(words_shown),
                       MappingProxyType(own))


def _own_digest(page: Page) -> str:
    """A page's own fields: its title, description, body, review date and menu title are its source
    file's (digested by the file's bytes, as load read them, when known), its sources, menu place and
    address the model's."""
    source = page.source
    own = (page.src_path, page.title, page.description, page.body, page.reviewed, page.nav_title)
    if source is not None and source.sha and own == (source.src_path, source.title, source.description, source.body,
                                                     source.reviewed, source.nav_title):
        return _digest(page.src_path, source.sha, page.sources, page.nav, page.url)
    return _digest(page.src_path, page.title, page.description, page.body, page.reviewed, page.sources, page.nav,
                   page.nav_title, page.url)


def fact_shown(fact: Fact) -> tuple:
    """What of a fact the pages can show (not the line it is defined on, nor its sources' variants)."""
    return (fact.id, fact.amount, fact.sources, tuple((i.id, i.terms, i.amounts, i.sources) for i in fact.items),
            fact.word_fields, fact.critical, fact.statement, fact.not_on_pages)


def page_digest(site: Site, page: Page, digests: SiteDigests, shows: PageDependencies) -> str:
    """The digest of everything `page` is made from: the key of its cache entry, and what tells the
    preview it must be rendered again."""
    own = digests.own.get(page.src_path)
    if own is None or own[0] is not page:
        raise ValueError(f"{page.src_path}: not a page of these digests")
    words = digests.words[page.language]
    return _digest(digests.common, digests.language[page.language], own[1],
                   tuple(digests.facts[fact_id] for fact_id in shows.facts),
                   tuple(words[fact_id] for fact_id in shows.words), shows.notice)


@dataclass(frozen=True)
class PageRecords:
    """Every page's dependency record and its digest, with the site's digests they were made of."""

    digests: SiteDigests
    shows: Mapping[str, tuple[Page, PageDependencies]]    # output path -> (the page, what it shows)
    keys: Mapping[str, str]                                # output path -> page_digest


def page_records(site: Site, templates_dir: Path, notices, previous: PageRecords | None = None) -> PageRecords:
    """The record and digest of every page. From `previous` (the last build's, the same structure),
    a page that is the same object, with the same notice, none of whose facts or words changed
    keeps its record and digest: only the pages an edit touches are digested again."""
    digests = site_digests(site, templates_dir, previous.digests if previous is not None else None)
    json_ld = structured.contraindication_facts(site)
    before = previous.digests if previous is not None and previous.digests.common == digests.common else None
    facts = {f for f, d in digests.facts.items() if before is None or before.facts.get(f) != d}
    words = {code: {f for f, d in found.items() if before is None or before.words[code].get(f) != d}
             for code, found in digests.words.items()}
    shows, keys = {}, {}
    for page in site.pages:
        path, notice = page.output_path, page_notice(site, page, notices)
        kept = previous.shows.get(path) if previous is not None else None
        if kept is not None and kept[0] is page:
            record = kept[1] if kept[1].notice == notice else dataclasses.replace(kept[1], notice=notice)
            same = (before is not None and record is kept[1] and before.language == digests.language
                    and facts.isdisjoint(record.facts) and words[page.language].isdisjoint(record.words))
            keys[path] = previous.keys[path] if same and previous is not None else page_digest(
                site, page, digests, record)
        else:
            record = page_dependencies(site, page, notices, json_ld)
            keys[path] = page_digest(site, page, digests, record)
        shows[path] = (page, record)
    return PageRecords(digests, MappingProxyType(shows), MappingProxyType(keys))


def pack(digest: str, content: bytes) -> bytes:
    """An entry: `patientsite-page <digest> <sha256 of content>\\n` then the content."""
    return MAGIC + f"{digest} {hashlib.sha256(content).hexdigest()}\n".encode() + content


def unpack(digest: str, entry: bytes) -> bytes | None:
    """The content of an entry if it is whole and is the entry of `digest`, else None."""
    header, newline, content = entry.partition(b"\n")
    if not newline or header != MAGIC + f"{digest} {hashlib.sha256(content).hexdigest()}".encode():
        return None
    return content


class RenderCache:
    """Rendered pages on disk, by digest. `read=False` (`--no-cache`): every page is rendered and
    every entry written again, which repairs the cache."""

    def __init__(self, folder: Path, name: str = CACHE_DIR, read: bool = True):
        self.folder, self.name, self.read = folder, name, read
        self.failure = ""         # why the cache could not be written; nothing more is tried

    def beside(self, name: str) -> RenderCache:
        """Another cache in a sibling folder (.cache/<name>), read and written alike: the encodings of
        the published files (render/assets.py), apart from the pages."""
        return RenderCache(self.folder.parent / name, f"{posixpath.dirname(self.name)}/{name}", self.read)

    def get(self, digest: str) -> bytes | None:
        if not self.read:
            return None
        try:
            sub = os.open(self.folder / digest[:2], os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None                     # missing, a symbolic link, or no cache folder
        try:
            handle = os.open(digest, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=sub)
        except OSError:
            return None                     # missing, a symbolic link or unreadable (a fifo: not waited for)
        finally:
            os.close(sub)
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return None
            with os.fdopen(handle, "rb", closefd=False) as stream:
                entry = stream.read()
        except OSError:
            return None
        finally:
            os.close(handle)
        return unpack(digest, entry)

    def put(self, digest: str, content: bytes) -> None:
        if self.failure:
            return
        sub = self.folder / digest[:2]
        target = sub / digest
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if sub.is_symlink() or (sub.exists() and not sub.is_dir()):
                sub.unlink()                # never write through a link or beside a stray file
            sub.mkdir(exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)       # a folder where an entry belongs
            write_atomically(target, pack(digest, content))
        except OSError as exc:
            self.failure = exc.strerror or str(exc)

    def warning(self) -> Problem | None:
        """The one warning of a cache that could not be written, or None."""
        if not self.failure:
            return None
        return Problem(self.name, None, None,
                       f"the render cache cannot be written ({self.failure}); the site was built without it",
                       f"Make {self.name} a writable folder, or delete it; the site itself is complete.")

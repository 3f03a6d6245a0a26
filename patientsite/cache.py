"""The render cache: each output page stored under a digest of everything it is made from.

A page's digest covers the generator's version, the templates, its language's UI strings, the
site's configuration and structure (titles, URLs, navigation), the page itself, its translation
notice, and the values and words of exactly the facts it shows. So a changed input always changes
the digest of every page that depends on it, and of no other page: editing one fact re-renders only
the pages that use it, in every language.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .model import Page, Site

CACHE_DIR = ".cache/pages"


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


@dataclass(frozen=True)
class SiteDigests:
    """What every page of a language depends on, computed once per build."""

    common: str                   # generator, templates, configuration, site structure, documents
    language: dict                # language code -> its catalogue, units, terms and document titles


def site_digests(site: Site, templates_dir: Path) -> SiteDigests:
    structure = tuple((p.language, p.key, p.url, p.title, p.nav, p.nav_title, p.reviewed) for p in site.pages)
    common = _digest(__version__, folder_digest(templates_dir), site.config, structure,
                     tuple(site.facts.documents.values()))
    per_language = {}
    for language in site.config.languages:
        words = site.facts.words[language.code]
        catalog = (site.config.root / site.catalogs.paths[language.code]).read_bytes()
        per_language[language.code] = _digest(hashlib.sha256(catalog).hexdigest(), sorted(
            (unit, sorted(forms.items())) for unit, forms in words.units.items()), sorted(words.terms.items()),
            sorted(words.sources.items()))
    return SiteDigests(common, per_language)


def page_digest(site: Site, page: Page, digests: SiteDigests, facts_shown, notice) -> str:
    words = site.facts.words[page.language]
    shown = []
    for fact_id in sorted(set(facts_shown)):
        fact = site.facts.facts[fact_id]
        item_words = tuple(sorted(words.items.get((fact_id, item.id), {}).items()) for item in fact.items)
        shown.append((fact, words.labels.get(fact_id), words.texts.get(fact_id), item_words))
    own = (page.src_path, page.title, page.description, page.body, page.reviewed, page.sources, page.nav,
           page.nav_title, page.url)
    return _digest(digests.common, digests.language[page.language], own, shown, notice)


class RenderCache:
    """Rendered pages on disk, by digest. Reading a missing or damaged entry is a miss."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, digest: str) -> bytes | None:
        try:
            return (self.folder / digest[:2] / digest).read_bytes()
        except OSError:
            return None

    def put(self, digest: str, content: bytes) -> None:
        target = self.folder / digest[:2] / digest
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{digest}.{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, target)

"""The load stage: the project's files -> `Loaded` values, each file read and parsed once. Given the
previous build's `Loaded` and a change plan, only the changed files are read again."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from patientsite.errors import Problems
from patientsite.load.config import Config, load_config
from patientsite.load.content import SourcePage, load_content, read_page
from patientsite.load.facts import Facts, load_facts
from patientsite.load.i18n import Catalogs, load_catalogs
from patientsite.load.textfile import check_templates, decode_source, read_bytes
from patientsite.load.translation import Lock, read_locks


@dataclass(frozen=True)
class Loaded:
    config: Config
    facts: Facts
    pages: tuple[SourcePage, ...]
    catalogs: Catalogs
    # the pages read again (a build from the previous)
    changed: Mapping[str, SourcePage] = field(default_factory=lambda: MappingProxyType({}))


def load_project(root: Path, previous: Loaded | None = None, plan=None, base_url: str | None = None,
                 cache=None) -> Loaded:
    """Read and check everything (site.yaml, the templates, facts and words, the pages, the
    catalogues); with `previous` and `plan` (preview/changeplan.py), only what the plan names.
    `base_url` replaces site.yaml's (build --base-url). `cache` (load/sourcecache.py): the pages
    parsed by an earlier build, by their files' bytes."""
    if previous is None or plan is None:
        templates = root / "templates"
        config = load_config(root, base_url)
        check_templates(templates)
        facts = load_facts(config)
        pages = load_content(config, cache)
        return Loaded(config, facts, pages, load_catalogs(config, templates))
    config = previous.config
    facts = load_facts(config) if plan.facts or plan.words else previous.facts
    problems = Problems("reading the pages")
    changed = {}
    for rel in plan.pages:
        _, code, name = rel.split("/")
        data = read_bytes(config.root, rel, problems)
        text = None if data is None else decode_source(data, rel, problems)
        page = None if text is None or data is None else read_page(rel, name, text, code, problems,
                                                                    hashlib.sha256(data).hexdigest())
        if page is not None:
            changed[rel] = page
    problems.raise_if_any()
    pages = tuple(changed.get(page.src_path, page) for page in previous.pages)
    return dataclasses.replace(previous, facts=facts, pages=pages, changed=MappingProxyType(changed))


def load_locks(config: Config, previous: Mapping[str, Lock] | None = None, plan=None) -> Mapping[str, Lock]:
    """Every translated language's lock file; from the previous build, only the changed ones."""
    return read_locks(config, previous, plan.locks if plan is not None else None)

"""The change plan: which inputs changed since the last build, and whether the change is structural
(a template or a static file, site.yaml, a catalogue, a new or removed page: only a full build follows
it) or one the build can take from its previous state (page files, facts.yaml, words.yaml, a lock file).
A static file is structural because its fingerprinted name (render/assets.py) is in every page.
`pipeline.build(..., previous=, changed=)` asks it; the preview only says which files changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from patientsite.load.facts import FACTS_FILE
from patientsite.load.translation import LOCK_FILE
from patientsite.load.words import WORDS_FILE
from patientsite.model.site import Site


@dataclass(frozen=True)
class ChangePlan:
    pages: tuple[str, ...]      # changed page files, in the order the full build reads them
    facts: bool                 # content/facts.yaml changed
    words: bool                 # a language's words.yaml changed
    locks: frozenset[str]       # the languages whose translations.lock changed


def plan_changes(changed: Iterable[str], site: Site) -> ChangePlan | None:
    """What the changed files (paths relative to the project) are, or None when only a full build
    can follow them."""
    codes = [lang.code for lang in site.config.languages]
    known = {page.src_path for page in site.pages}
    pages, facts, words, locks = [], False, False, set()
    for path in sorted(set(changed)):
        parts = path.split("/")
        in_language = len(parts) == 3 and parts[0] == "content" and parts[1] in codes
        if path == FACTS_FILE:
            facts = True
        elif in_language and parts[2] == WORDS_FILE:
            words = True
        elif in_language and parts[2] == LOCK_FILE:
            locks.add(parts[1])
        elif path in known and (site.config.root / path).is_file():
            pages.append(path)
        else:
            return None       # a template or static file, site.yaml, a catalogue, a new or removed page
    order = {code: index for index, code in enumerate(codes)}
    pages.sort(key=lambda rel: (order[rel.split("/")[1]], rel))
    return ChangePlan(tuple(pages), facts, words, frozenset(locks))


def changed_files(before: Mapping[str, tuple[int, int]], after: Mapping[str, tuple[int, int]],
                  said: Iterable[str] = ()) -> tuple[str, ...]:
    """The files whose stat signature (mtime, size) differs between two snapshots, and those `said`
    to have changed (a save within the same clock tick keeps its signature)."""
    return tuple(sorted(set(said) | {p for p in set(before) | set(after) if before.get(p) != after.get(p)}))

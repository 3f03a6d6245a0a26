"""Translation state by content hash: every translated unit (a page, a fact's words, a term, a
counted noun's forms, a UI string) is current, stale, missing, fuzzy or untracked.

`content/<lang>/translations.lock` records, for each unit, the hash and text of the Italian source the
translation was made from; `python build.py status --mark-current LANG UNIT` writes it. A unit is stale
when the Italian source's hash differs from the recorded one. The build computes the status from the
units its load stage made as it read each file (`sources_from_load`: nothing is read or parsed twice);
the status command reads the files leniently (`read_translation_sources`: a missing translation is a
state, not an error), so it works on a half-translated project.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from patientsite.errors import Problems
from patientsite.load.config import Config, Language
from patientsite.load.facts import WORDS_FILE
from patientsite.load.i18n import CATALOG_FILE, template_messages
from patientsite.load.translationunits import (
    CURRENT,
    FUZZY,
    KIND_NAMES,
    KINDS,
    LOCK_FILE,
    MISSING,
    STALE,
    STATUSES,
    UNTRACKED,
    LanguageState,
    Lock,
    LockEntry,
    TranslationStatus,
    Unit,
    UnitState,
    page_unit,
    read_fact_ids,
    read_units,
    read_yaml_leniently,
    unit_key,
    words_gap,
)
from patientsite.load.yamlload import Node, check_keys

# the translation status's names, wherever they are defined
__all__ = ["CURRENT", "FUZZY", "KINDS", "KIND_NAMES", "LOCK_FILE", "MISSING", "STALE", "STATUSES",
           "UNTRACKED", "LanguageState", "Lock", "LockEntry", "TranslationStatus", "Unit", "UnitState",
           "TranslationSources", "assess_translations", "lock_text", "page_unit", "read_fact_ids", "read_lock",
           "read_locks", "read_translation_sources", "sources_from_load"]


# -- the lock file ------------------------------------------------------------------------------
def read_lock(config: Config, language: Language) -> Lock:
    rel = f"content/{language.code}/{LOCK_FILE}"
    path = config.root / rel
    if not path.is_file():
        return Lock(rel, False, MappingProxyType({}))
    problems = Problems(f"reading {rel}")
    data = read_yaml_leniently(config.root, rel, problems)
    hint = (f"This file is written by `python build.py status --mark-current {language.code} ...`. "
            "Restore it from version control, or delete it and mark the checked translations current again.")
    entries = {}
    if not problems.errors and not isinstance(data, Node):
        problems.error(rel, 1, "the lock file must be a mapping", hint)
    if isinstance(data, Node):
        check_keys(data, set(KINDS), rel, "the lock file", problems)
    for kind in KINDS if isinstance(data, Node) else ():
        section = data.get(kind) or Node()
        if not isinstance(section, Node):
            problems.error(rel, data.line_of(kind), f'"{kind}" must be a mapping', hint)
            continue
        for unit_id, raw in section.items():
            ok = isinstance(raw, Node) and all(isinstance(raw.get(k), str) for k in ("hash", "source", "translation"))
            if isinstance(raw, Node):
                check_keys(raw, {"hash", "source", "marked", "translation"}, rel, f'the entry "{unit_id}"', problems)
            if not ok or not isinstance(raw.get("marked"), datetime.date) or isinstance(raw["marked"],
                                                                                        datetime.datetime):
                problems.error(rel, section.line_of(unit_id), f'the entry "{unit_id}" is damaged', hint)
                continue
            entries[(kind, str(unit_id))] = LockEntry(raw["hash"], raw["source"], raw["marked"], raw["translation"])
    problems.raise_if_any()
    return Lock(rel, True, MappingProxyType(entries))


class _LockDumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


_LockDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def lock_text(language: Language, source: Language, entries: Mapping[tuple[str, str], LockEntry]) -> str:
    """The lock file's text: sorted, stable, readable multi-line sources."""
    data = {kind: {unit_id: {"hash": e.hash, "marked": e.marked, "source": e.source, "translation": e.translation}
                   for (k, unit_id), e in sorted(entries.items()) if k == kind}
            for kind in KINDS}
    header = (f"# The {source.name} source each {language.name} translation was made from.\n"
              f"# Written by `python build.py status --mark-current {language.code} UNIT`; do not edit by hand.\n")
    return header + yaml.dump({k: v for k, v in data.items() if v}, Dumper=_LockDumper, allow_unicode=True,
                              sort_keys=True, default_flow_style=False, width=10_000)


# -- what the status is made from ----------------------------------------------------------------
@dataclass(frozen=True)
class TranslationSources:
    """Every language's translation units and lock file, and what the Italian must have: what the
    status is computed from, whether the load stage read it (`sources_from_load`) or the status
    command read it leniently (`read_translation_sources`)."""

    languages: tuple[Language, ...]                           # in the configured order
    fact_ids: Mapping[str, bool]                              # fact id -> critical
    wanted_ui: frozenset[str]                                 # the templates' UI strings
    units: Mapping[str, Mapping[tuple[str, str], Unit]]       # language code -> its units
    locks: Mapping[str, Lock]                                 # language code -> its lock file (not the source's)


def read_locks(config: Config, previous: Mapping[str, Lock] | None = None, changed=None) -> Mapping[str, Lock]:
    """Every translated language's lock file; with `previous`, only those of the languages `changed`."""
    return MappingProxyType({lang.code: previous[lang.code] if previous is not None and lang.code not in (changed or ())
                             else read_lock(config, lang) for lang in config.languages if not lang.source})


def sources_from_load(config: Config, facts, pages, catalogs, locks: Mapping[str, Lock]) -> TranslationSources:
    """The sources of the status from the values the load stage made (nothing is read again):
    each page's unit, each words.yaml's and each catalogue's units."""
    units: dict[str, dict] = {lang.code: {} for lang in config.languages}
    for page in pages:
        if page.unit is not None:
            units[page.language].setdefault(unit_key(page.unit), page.unit)
    for code, found in units.items():
        found.update(facts.words[code].translation_units if code in facts.words else {})
        found.update(catalogs.units.get(code, {}))
    fact_ids = {fact_id: fact.critical for fact_id, fact in facts.facts.items()}
    wanted = frozenset(m[0] if isinstance(m, tuple) else m for m in catalogs.msgids)
    return TranslationSources(tuple(config.languages), MappingProxyType(fact_ids), wanted,
                              MappingProxyType({c: MappingProxyType(u) for c, u in units.items()}), locks)


def read_translation_sources(config: Config, templates_dir: Path) -> TranslationSources:
    """The sources of the status read leniently from the files (the status command: a half-translated
    project whose build fails still has a status)."""
    fact_ids = read_fact_ids(config)
    critical = frozenset(fact_id for fact_id, is_critical in fact_ids.items() if is_critical)
    units = {lang.code: MappingProxyType(read_units(config, lang, templates_dir, critical))
             for lang in config.languages}
    wanted = frozenset(m[0] if isinstance(m, tuple) else m for m in template_messages(templates_dir))
    return TranslationSources(tuple(config.languages), MappingProxyType(fact_ids), wanted, MappingProxyType(units),
                              read_locks(config))


# -- the state of every language ----------------------------------------------------------------
def assess_translations(sources: TranslationSources) -> TranslationStatus:
    """Compare every language's units with the Italian source and its lock file."""
    source = next(lang for lang in sources.languages if lang.source)
    italian = dict(sources.units[source.code])
    states = [_source_state(source, italian, dict(sources.fact_ids), set(sources.wanted_ui))]
    for language in sources.languages:
        if not language.source:
            states.append(_language_state(language, sources.locks[language.code], italian,
                                          dict(sources.units[language.code])))
    return TranslationStatus(source, tuple(states))


def _language_state(language: Language, lock: Lock, sources: dict, units: dict) -> LanguageState:
    return LanguageState(language, lock, tuple(_state(unit, units.get(key), lock.entries.get(key), language)
                                               for key, unit in sorted(sources.items())))


def _source_unit_state(unit: Unit) -> UnitState:
    return UnitState(FUZZY if unit.fuzzy else MISSING if unit.problem else CURRENT, unit, unit, None, unit.problem)


def _source_state(source: Language, sources: dict, fact_ids: dict, wanted_ui: set) -> LanguageState:
    found = [_source_unit_state(unit) for _, unit in sorted(sources.items())]
    words_path = f"content/{source.code}/{WORDS_FILE}"
    for fact_id in sorted(set(fact_ids) - {unit_id for kind, unit_id in sources if kind == "words"}):
        found.append(UnitState(MISSING, Unit("words", fact_id, "", words_path, None, fact_ids[fact_id]), None, None,
                               f"no {source.code} words"))
    for msgid in sorted(wanted_ui - {unit_id for kind, unit_id in sources if kind == "ui"}):
        found.append(UnitState(MISSING, Unit("ui", msgid, "", f"content/{source.code}/{CATALOG_FILE}", None),
                               None, None, "not in the catalogue"))
    return LanguageState(source, Lock("", False, MappingProxyType({})), tuple(found))


def _state(source: Unit, translation: Unit | None, entry: LockEntry | None, language: Language) -> UnitState:
    if translation is None:
        detail = {"page": f"no {language.code} page with key: {source.id}",
                  "words": f"no {language.code} words",
                  "ui": "not in the catalogue"}[source.kind]
        return UnitState(MISSING, source, None, entry, detail)
    problem = translation.problem or (words_gap(source, translation, language) if source.kind == "words" else "")
    if problem:
        return UnitState(FUZZY if translation.fuzzy else MISSING, source, translation, entry, problem)
    if entry is None:
        return UnitState(UNTRACKED, source, translation, None)
    return UnitState(CURRENT if entry.hash == source.hash else STALE, source, translation, entry)

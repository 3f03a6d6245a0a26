"""Translation state by content hash: every translated unit (a page, a fact's words, a term, a
counted noun's forms, a UI string) is current, stale, missing, fuzzy or untracked.

`content/<lang>/translations.lock` records, for each unit, the hash and text of the Italian source the
translation was made from; `python build.py status --mark-current LANG UNIT` writes it. A unit is stale
when the Italian source's hash differs from the recorded one. Files are read leniently (a missing
translation is a state, not an error), so the status works on a half-translated project.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
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
    read_words_units,
    read_yaml_leniently,
    unit_key,
    words_gap,
)
from patientsite.load.yamlload import Node, check_keys

# the translation status's names, wherever they are defined
__all__ = ["CURRENT", "FUZZY", "KINDS", "KIND_NAMES", "LOCK_FILE", "MISSING", "STALE", "STATUSES",
           "UNTRACKED", "LanguageState", "Lock", "LockEntry", "TranslationStatus", "Unit", "UnitState",
           "assess_translations", "lock_text", "page_unit", "read_fact_ids", "read_lock",
           "reassess_translations", "restate_page"]


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


# -- the state of every language ----------------------------------------------------------------
def assess_translations(config: Config, templates_dir: Path) -> TranslationStatus:
    """Compare every language's units with the Italian source and its lock file."""
    source = config.source_language
    fact_ids = read_fact_ids(config)
    critical = frozenset(fact_id for fact_id, is_critical in fact_ids.items() if is_critical)
    sources = read_units(config, source, templates_dir, critical)
    wanted_ui = {(m[0] if isinstance(m, tuple) else m) for m in template_messages(templates_dir)}
    states = [_source_state(source, sources, fact_ids, wanted_ui)]
    for language in config.languages:
        if language.source:
            continue
        lock = read_lock(config, language)
        states.append(_language_state(language, lock, sources, read_units(config, language, templates_dir, critical)))
    return TranslationStatus(source, tuple(states))


def reassess_translations(status: TranslationStatus, config: Config, locks=()) -> TranslationStatus:
    """`assess_translations` when only facts.yaml, words.yaml files and the lock files of the
    languages `locks` changed since `status`: every words.yaml is read again, the pages and UI
    strings are as `status` has them (the preview)."""
    source = status.source
    fact_ids = read_fact_ids(config)
    critical = frozenset(fact_id for fact_id, is_critical in fact_ids.items() if is_critical)

    def read_again(state: LanguageState, mine) -> dict:
        problems = Problems(f"reading the {state.language.code} translation")
        units = {u.key: mine(u) for u in state.units if mine(u) is not None and u.source.kind != "words"}
        units.update(read_words_units(config, state.language, critical, problems))
        problems.raise_if_any()
        return units

    sources = read_again(status.languages[0], lambda u: u.translation and u.source)
    wanted_ui = {u.source.id for u in status.languages[0].units if u.source.kind == "ui"}
    states = [_source_state(source, sources, fact_ids, wanted_ui)]
    for state in status.languages[1:]:
        lock = read_lock(config, state.language) if state.language.code in locks else state.lock
        states.append(_language_state(state.language, lock, sources, read_again(state, lambda u: u.translation)))
    return TranslationStatus(source, tuple(states))


def _language_state(language: Language, lock: Lock, sources: dict, units: dict) -> LanguageState:
    return LanguageState(language, lock, tuple(_state(unit, units.get(key), lock.entries.get(key), language)
                                               for key, unit in sorted(sources.items())))


def restate_page(status: TranslationStatus, code: str, unit: Unit) -> TranslationStatus:
    """The status after one language's page (`unit`, whose key is already in the status) changed."""
    source = status.source.code
    states = []
    for state in status.languages:
        units = list(state.units)
        for index, old in enumerate(units):
            if old.key == unit_key(unit):
                if code == source and state.language.code == source:
                    units[index] = _source_unit_state(unit)
                elif code == source:
                    units[index] = _state(unit, old.translation, old.entry, state.language)
                elif state.language.code == code:
                    units[index] = _state(old.source, unit, old.entry, state.language)
                break
        states.append(LanguageState(state.language, state.lock, tuple(units)))
    return TranslationStatus(status.source, tuple(states))


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

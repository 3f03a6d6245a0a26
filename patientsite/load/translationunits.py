"""Translation units: every translated thing (a page, a fact's words, a term, a counted noun's
forms, a UI string) as a `Unit` with the hash of its text, read leniently from one language's files
(a missing translation is a state, not an error); the data of the translation status (translation.py).
"""


from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import PoFileError

from patientsite.errors import Problems
from patientsite.load.config import Config, Language
from patientsite.load.content import split_front_matter
from patientsite.load.facts import FACTS_FILE, WORDS_FILE
from patientsite.load.i18n import CATALOG_FILE, read_catalog, template_messages, unusable
from patientsite.load.textfile import read_source
from patientsite.load.units import Unit, page_unit_of, ui_units, unit_key, words_units
from patientsite.load.yamlload import Node, parse_yaml

LOCK_FILE = "translations.lock"
KINDS = ("page", "words", "ui")
KIND_NAMES = {"page": "pages", "words": "fact words", "ui": "UI strings"}
CURRENT, STALE, MISSING, FUZZY, UNTRACKED = "current", "stale", "missing", "fuzzy", "untracked"
STATUSES = (CURRENT, STALE, MISSING, FUZZY, UNTRACKED)


@dataclass(frozen=True)
class LockEntry:
    hash: str                   # of the Italian source the translation was made from
    source: str                 # that source text, to show what changed since
    marked: datetime.date
    translation: str            # hash of the translation when it was marked current


@dataclass(frozen=True)
class Lock:
    path: str
    exists: bool
    entries: Mapping[tuple[str, str], LockEntry]


@dataclass(frozen=True)
class UnitState:
    status: str
    source: Unit                # the Italian unit
    translation: Unit | None    # the unit in this language, if there is one
    entry: LockEntry | None     # what the lock recorded
    detail: str = ""            # why it is missing or fuzzy

    @property
    def key(self) -> tuple[str, str]:
        return self.source.kind, self.source.id

    @property
    def path(self) -> str:
        return self.translation.path if self.translation else self.source.path

    @property
    def line(self) -> int | None:
        return self.translation.line if self.translation else None


@dataclass(frozen=True)
class LanguageState:
    language: Language
    lock: Lock
    units: tuple[UnitState, ...]

    def count(self, kind: str, status: str) -> int:
        return sum(1 for u in self.units if u.source.kind == kind and u.status == status)

    def find(self, kind: str, unit_id: str) -> UnitState | None:
        return self._by_key.get((kind, unit_id))

    @functools.cached_property
    def _by_key(self) -> dict[tuple[str, str], UnitState]:
        """The units by (kind, id), the first of each key (made once: a status is asked for every page)."""
        found: dict[tuple[str, str], UnitState] = {}
        for unit in self.units:
            found.setdefault(unit.key, unit)
        return found


@dataclass(frozen=True)
class TranslationStatus:
    source: Language
    languages: tuple[LanguageState, ...]      # the source language first

    def language(self, code: str) -> LanguageState:
        return next(state for state in self.languages if state.language.code == code)


# -- reading one language's units --------------------------------------------------------------
def read_units(config: Config, language: Language, templates_dir: Path,
               critical: frozenset = frozenset()) -> dict[tuple[str, str], Unit]:
    """Every unit in one language's folder; raise BuildError if a file cannot be read at all."""
    problems = Problems(f"reading the {language.code} translation")
    units: dict[tuple[str, str], Unit] = {}
    folder = config.root / "content" / language.code
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        rel = f"content/{language.code}/{path.name}"
        text = read_source(config.root, rel, problems)
        unit = None if text is None else page_unit(rel, text, problems)
        if unit is not None:
            units.setdefault(unit_key(unit), unit)
    units.update(read_words_units(config, language, critical, problems))
    _read_ui_units(config, language, templates_dir, units, problems)
    problems.raise_if_any()
    return units


def read_words_units(config: Config, language: Language, critical: frozenset,
                     problems: Problems) -> dict[tuple[str, str], Unit]:
    """The units of one language's words.yaml, read leniently."""
    rel = f"content/{language.code}/{WORDS_FILE}"
    return words_units(read_yaml_leniently(config.root, rel, problems), rel, critical)


def page_unit(rel: str, text: str, problems: Problems) -> Unit | None:
    """A page file's unit from its text, read leniently (the build takes `SourcePage.unit`)."""
    front_text, body, body_line = split_front_matter(text)
    front, found = parse_yaml(front_text or "", rel, line_offset=1)
    problems.errors.extend(found)
    return page_unit_of(rel, front, body, body_line)


def read_yaml_leniently(root: Path, rel: str, problems: Problems):
    path = root / rel
    if not path.is_file():
        return None
    text = read_source(root, rel, problems)
    if text is None:
        return None
    data, found = parse_yaml(text, rel)
    problems.errors.extend(found)
    return data if not found else None


def _read_ui_units(config: Config, language: Language, templates_dir: Path, units: dict,
                   problems: Problems) -> None:
    rel = f"content/{language.code}/{CATALOG_FILE}"
    if not (config.root / rel).is_file():
        return
    try:
        catalog = read_catalog(config.root / rel, language)
    except (PoFileError, ValueError) as exc:
        problems.error(rel, getattr(exc, "lineno", None), f"the catalogue cannot be read: {exc}",
                       "Check the quotes of the msgid/msgstr lines.")
        return
    units.update(ui_units(catalog, template_messages(templates_dir), rel, unusable))


def read_fact_ids(config: Config) -> dict[str, bool]:
    """Every fact id of facts.yaml -> whether it is marked `critical: true`."""
    problems = Problems("reading the facts")
    data = read_yaml_leniently(config.root, FACTS_FILE, problems)
    problems.raise_if_any()
    facts = data.get("facts") if isinstance(data, Node) else None
    return {str(fact_id): isinstance(raw, Node) and raw.get("critical") is True
            for fact_id, raw in (facts.items() if isinstance(facts, Node) else ())}


def words_gap(source: Unit, translation: Unit, language: Language) -> str:
    """What a translation of a fact's words lacks compared with the Italian, or ''."""
    want, have = source.data, translation.data
    if isinstance(want, str):
        return "" if isinstance(have, str) and have.strip() else "needs a line of text"
    if not isinstance(want, dict):     # the Italian itself is broken: reported by the build, not here
        return ""
    if not isinstance(have, dict):
        return "needs the same fields as the Italian (label:, items:)"
    for name, value in want.items():
        if name == "items" and isinstance(value, dict):
            items = have.get("items") if isinstance(have.get("items"), dict) else {}
            for item_id, fields in value.items():
                given = items.get(item_id)
                if not isinstance(given, dict):
                    return f'has no words for item "{item_id}"'
                for field_name, text in (fields.items() if isinstance(fields, dict) else ()):
                    if str(text or "").strip() and not str(given.get(field_name) or "").strip():
                        return f'item "{item_id}" has no "{field_name}"'
        elif str(value or "").strip() and not str(have.get(name) or "").strip():
            return f'has no "{name}"'
    return ""



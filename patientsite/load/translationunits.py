"""Translation units: every translated thing (a page, a fact's words, a term, a counted noun's
forms, a UI string) as a `Unit` with the hash of its text, read leniently from one language's files
(a missing translation is a state, not an error); the data of the translation status (translation.py).
"""


from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.pofile import PoFileError

from patientsite.errors import Problems
from patientsite.load.config import Config, Language
from patientsite.load.content import split_front_matter
from patientsite.load.facts import FACTS_FILE, WORDS_FILE
from patientsite.load.i18n import CATALOG_FILE, read_catalog, template_messages, unusable
from patientsite.load.textfile import read_source
from patientsite.load.yamlload import Node, Seq, parse_yaml

LOCK_FILE = "translations.lock"
KINDS = ("page", "words", "ui")
KIND_NAMES = {"page": "pages", "words": "fact words", "ui": "UI strings"}
CURRENT, STALE, MISSING, FUZZY, UNTRACKED = "current", "stale", "missing", "fuzzy", "untracked"
STATUSES = (CURRENT, STALE, MISSING, FUZZY, UNTRACKED)
PAGE_FIELDS = ("title", "description", "nav_title")


@dataclass(frozen=True)
class Unit:
    """One unit of text as it stands in one language's files, in a canonical form."""

    kind: str                   # "page", "words" or "ui"
    id: str                     # page key; fact id, "term:ID" or "unit:ID"; UI msgid
    text: str                   # canonical text: what is hashed and diffed
    path: str
    line: int | None
    critical: bool = False
    problem: str = ""           # why the unit is incomplete ("" when complete)
    fuzzy: bool = False
    data: object = field(default=None, compare=False, repr=False)
    lines: tuple = field(default=(), compare=False, repr=False)   # the file line of each line of `text` (0: none)

    def file_line(self, number: int) -> int | None:
        """The file line that line `number` (1-based) of `text` comes from, or the nearest one before it."""
        for index in range(min(number, len(self.lines)) - 1, -1, -1):
            if self.lines[index]:
                return self.lines[index]
        return self.line

    @property
    def hash(self) -> str:
        return text_hash(self.text)


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
        return next((u for u in self.units if u.key == (kind, unit_id)), None)


@dataclass(frozen=True)
class TranslationStatus:
    source: Language
    languages: tuple[LanguageState, ...]      # the source language first

    def language(self, code: str) -> LanguageState:
        return next(state for state in self.languages if state.language.code == code)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def normal_text(text: str) -> str:
    """Line endings and trailing spaces do not count as changes."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _words_text(value) -> str:
    if isinstance(value, str):
        return normal_text(value)
    return yaml.safe_dump(_plain(value), allow_unicode=True, sort_keys=True, default_flow_style=False,
                          width=10_000)


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
    """The units of one language's words.yaml: each term, counted noun, fact's words and source title."""
    units = {}
    words_rel = f"content/{language.code}/{WORDS_FILE}"
    words = read_yaml_leniently(config.root, words_rel, problems)
    if isinstance(words, Node):
        for section, prefix in (("terms", "term:"), ("units", "unit:"), ("facts", ""), ("sources", "source:")):
            node = words.get(section)
            for name, value in node.items() if isinstance(node, Node) else ():
                unit_id = f"{prefix}{name}"
                text = _words_text(value)
                units[("words", unit_id)] = Unit("words", unit_id, text, words_rel, node.line_of(name),
                                                 unit_id in critical, data=_plain(value),
                                                 lines=_words_lines(text, value, node.line_of(name)))
    return units


def page_unit(rel: str, text: str, problems: Problems) -> Unit | None:
    """A page file's unit: its title, description, menu title and body (None without a key)."""
    front_text, body, body_line = split_front_matter(text)
    front, found = parse_yaml(front_text or "", rel, line_offset=1)
    problems.errors.extend(found)
    if not isinstance(front, Node) or not isinstance(front.get("key"), str):
        return None
    names = [name for name in PAGE_FIELDS if str(front.get(name) or "").strip()]
    head = [f"{name}: {' '.join(str(front[name]).split())}" for name in names]
    text = normal_text("\n".join(head) + "\n\n" + body)
    problem = "marked untranslated: true (translate it, then delete that line)" \
        if front.get("untranslated") is True else ""
    return Unit("page", front["key"], text, rel, None, problem=problem, lines=_page_lines(
        [front.line_of(name) for name in names], body, body_line))


def _page_lines(head: list[int], body: str, body_line: int) -> tuple[int, ...]:
    """The file line of each line of a page's canonical text (`normal_text` of head, blank, body)."""
    body_lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pairs = [("x", line) for line in head]       # a head line is never empty
    pairs += [("", 0)] + [(text.rstrip(), body_line + n) for n, text in enumerate(body_lines)]
    while pairs and not pairs[0][0]:
        pairs.pop(0)
    while pairs and not pairs[-1][0]:
        pairs.pop()
    return tuple(line for _, line in pairs)


def _words_lines(text: str, value, line: int) -> tuple[int, ...]:
    """The file line of each line of a fact's canonical words text: the keys and list items are
    matched with the file's (the canonical text is sorted); other lines get 0."""
    count = text.count("\n")
    if not isinstance(value, (Node, Seq)):
        return (line,) * count
    canonical, problems = parse_yaml(text, "")
    found = [0] * count

    def walk(canon, real) -> None:
        if isinstance(canon, Node) and isinstance(real, Node):
            for key in canon:
                if key in real:
                    _put(found, canon.line_of(key), real.line_of(key))
                    walk(canon[key], real[key])
        elif isinstance(canon, Seq) and isinstance(real, Seq):
            for index in range(min(len(canon), len(real))):
                _put(found, canon.line_of(index), real.line_of(index))
                walk(canon[index], real[index])
    if not problems:
        walk(canonical, value)
    return tuple(found)


def _put(found: list, canonical_line: int, file_line: int) -> None:
    if 0 < canonical_line <= len(found):
        found[canonical_line - 1] = file_line


def unit_key(unit: Unit) -> tuple[str, str]:
    return unit.kind, unit.id


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
    for msgid in template_messages(templates_dir):
        plural = isinstance(msgid, tuple)
        key = msgid[0] if plural else msgid
        message = catalog.get(key)
        if message is None:
            continue
        strings = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
        lines = [f"msgid: {key}"] + ([f"msgid_plural: {msgid[1]}"] if plural else [])
        lines += [f"msgstr[{i}]: {s}" for i, s in enumerate(strings)] if plural else [f"msgstr: {strings[0]}"]
        problem = unusable(message, plural, catalog.num_plurals)
        units[("ui", key)] = Unit("ui", key, "\n".join(lines) + "\n", rel, message.lineno,
                                  problem=problem, fuzzy=message.fuzzy and not problem.startswith("not"))


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



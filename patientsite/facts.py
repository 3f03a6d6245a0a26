"""Language-neutral facts (`content/facts.yaml`) and each language's words for them.

A number or a list lives once, in `facts.yaml`; `content/<lang>/words.yaml` gives only words:
labels, item texts, the forms of counted nouns (`units`) and the words for terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .config import Config
from .errors import Problem, Problems, suggest
from .textfile import read_source
from .words import MEASURE_UNITS, WORDS_FILE, Words, plural_categories, read_words
from .yamlload import Node, Seq, check_keys, check_types, parse_yaml

FACTS_FILE = "content/facts.yaml"
_ID = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*\Z")
MAX_NUMBER = Decimal(1_000_000)     # no dose, count or interval on a patient page comes near this


@dataclass(frozen=True)
class Amount:
    """A number or a range of numbers with a unit."""

    low: Decimal
    high: Decimal | None
    unit: str

    @property
    def numbers(self) -> tuple[Decimal, ...]:
        return (self.low,) if self.high is None else (self.low, self.high)


@dataclass(frozen=True)
class Item:
    id: str
    terms: tuple[tuple[str, str], ...]
    amounts: tuple[tuple[str, Amount], ...]
    sources: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Fact:
    id: str
    amount: Amount | None            # a number fact
    items: tuple[Item, ...]          # a list fact
    word_fields: tuple[str, ...]
    critical: bool
    sources: tuple[str, ...]
    line: int

    @property
    def is_list(self) -> bool:
        return self.amount is None

    def amounts(self):
        """Every number of the fact: its own, or its items'."""
        if self.amount is not None:
            yield self.amount
        for item in self.items:
            for _, amount in item.amounts:
                yield amount

    def all_sources(self) -> tuple[str, ...]:
        found = set(self.sources)
        for item in self.items:
            found.update(item.sources)
        return tuple(sorted(found))


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    language: str
    title: str


@dataclass(frozen=True)
class Disagreement:
    id: str
    facts: tuple[str, ...]
    note: str
    line: int


@dataclass(frozen=True)
class Correction:
    id: str
    document: str
    says: str
    carried_as: str
    facts: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Facts:
    documents: Mapping[str, Document]
    facts: Mapping[str, Fact]
    disagreements: tuple[Disagreement, ...]
    corrections: tuple[Correction, ...]
    words: Mapping[str, Words]
    warnings: tuple[Problem, ...] = ()


def load_facts(config: Config) -> Facts:
    """Read `content/facts.yaml` and every language's `words.yaml`; check they agree."""
    problems = Problems("reading the facts")
    data = _read(config.root, FACTS_FILE, problems)
    problems.raise_if_any()
    check_keys(data, {"documents", "facts", "disagreements", "corrections"}, FACTS_FILE,
               "facts.yaml", problems, required=("documents", "facts"))
    sections = {key: _mapping(data, key, FACTS_FILE, problems) if data.get(key) is not None else Node()
                for key in ("documents", "facts", "disagreements", "corrections")}
    sections = {key: Node() if value is None else value for key, value in sections.items()}
    documents = _documents(sections["documents"], problems)
    facts = _facts(sections["facts"], set(documents), problems)
    disagreements = tuple(_disagreements(sections["disagreements"], facts, problems))
    corrections = tuple(_corrections(sections["corrections"], facts, documents, problems))
    words = {}
    for language in config.languages:
        path = f"content/{language.code}/{WORDS_FILE}"
        raw = _read(config.root, path, problems)
        if raw is not None:
            words[language.code] = read_words(raw, path, facts, language, config, problems)
    problems.raise_if_any()
    return Facts(MappingProxyType(documents), MappingProxyType(facts), disagreements, corrections,
                 MappingProxyType(words), problems.warnings_tuple())


def _read(root: Path, rel: str, problems: Problems) -> Node | None:
    path = root / rel
    if not path.is_file():
        problems.error(rel, None, "file is missing", f"Create {rel} (see docs/content-format.md).")
        return None
    text = read_source(root, rel, problems)
    if text is None:
        return None
    data, found = parse_yaml(text, rel)
    problems.errors.extend(found)
    if found:
        return None
    if not isinstance(data, Node):
        problems.error(rel, 1, "this file must be a mapping of keys to values", "")
        return None
    return data


def _mapping(parent: Node, key, path: str, problems: Problems) -> Node | None:
    value = parent.get(key)
    if isinstance(value, Node):
        return value
    problems.error(path, parent.line_of(key), f'"{key}" must be a mapping of keys to values',
                   "Indent its keys under it, one per line.")
    return None


def _documents(node: Node, problems: Problems) -> dict[str, Document]:
    result = {}
    for doc_id in node:
        doc = _mapping(node, doc_id, FACTS_FILE, problems)
        if doc is None:
            continue
        check_keys(doc, {"file", "language", "title"}, FACTS_FILE, f'document "{doc_id}"', problems,
                   required=("file", "language", "title"))
        check_types(doc, {"file": str, "language": str, "title": str}, FACTS_FILE, f'document "{doc_id}"', problems)
        result[str(doc_id)] = Document(str(doc_id), str(doc.get("file", "")), str(doc.get("language", "")),
                                       str(doc.get("title", "")))
    return result


def _sources(node: Node, documents: set, problems: Problems, where: str) -> tuple[str, ...]:
    raw = node.get("sources")
    if raw is None:
        return ()
    if not isinstance(raw, Seq):
        problems.error(FACTS_FILE, node.line_of("sources"), f"sources of {where} must be a list",
                       "Write sources: [doc-000, doc-004].")
        return ()
    for index, doc in enumerate(raw):
        if not isinstance(doc, str) or doc not in documents:
            problems.error(FACTS_FILE, raw.line_of(index), f'{where} cites an unknown document "{doc}"',
                           f"{suggest(str(doc), documents)}Documents are listed under 'documents:'.")
    return tuple(str(doc) for doc in raw)


def _amount(node, path: str, line: int, where: str, problems: Problems) -> Amount | None:
    if "range" in node:
        raw = node["range"]
        if (not isinstance(raw, Seq) or len(raw) != 2
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in raw)):
            problems.error(path, node.line_of("range"), f"the range of {where} must be two numbers",
                           "Write range: [3, 4].")
            return None
        low, high = (Decimal(str(x)) for x in raw)
        if not all(_plausible(x) for x in (low, high)):
            problems.error(path, node.line_of("range"), f"the range of {where} must be numbers from 0 to {MAX_NUMBER}",
                           "Write the numbers of the source document, e.g. range: [3, 4].")
            return None
        if low >= high:
            problems.error(path, node.line_of("range"), f"the range of {where} must go from low to high",
                           f"Write range: [{raw[1]}, {raw[0]}] or a single value: N.")
            return None
    else:
        raw = node.get("value")
        if not isinstance(raw, (int, float)) or isinstance(raw, bool):
            problems.error(path, node.line_of("value"), f"the value of {where} must be a number",
                           "Write value: 4 (digits only; the unit goes in 'unit:').")
            return None
        low, high = Decimal(str(raw)), None
        if not _plausible(low):
            problems.error(path, node.line_of("value"), f"the value of {where} must be a number from 0 to {MAX_NUMBER}",
                           "Write the number of the source document, e.g. value: 4.")
            return None
    unit = node.get("unit")
    if not isinstance(unit, str) or not _ID.match(unit):
        problems.error(path, node.line_of("unit") if "unit" in node else line, f"{where} needs a unit",
                       f"Add unit: one of {', '.join(MEASURE_UNITS)}, or a counted noun such as session.")
        return None
    return Amount(low, high, unit)


def _plausible(number: Decimal) -> bool:
    """Finite, not negative, below MAX_NUMBER, at most six decimals: a number a page can show."""
    return number.is_finite() and 0 <= number <= MAX_NUMBER and number == number.quantize(Decimal("0.000001"))


def _facts(node: Node, documents: set, problems: Problems) -> dict[str, Fact]:
    result = {}
    for fact_id in node:
        line = node.line_of(fact_id)
        if not isinstance(fact_id, str) or not _ID.match(fact_id):
            problems.error(FACTS_FILE, line, f'fact id "{fact_id}" may only use a-z, 0-9 and ". _ -"', "")
            continue
        raw = _mapping(node, fact_id, FACTS_FILE, problems)
        if raw is None:
            continue
        where = f'fact "{fact_id}"'
        kinds = [k for k in ("value", "range", "items") if k in raw]
        if len(kinds) != 1:
            problems.error(FACTS_FILE, line, f"{where} must have exactly one of value, range or items",
                           "A number fact has value: or range: with unit:; a list fact has items:.")
            continue
        sources = _sources(raw, documents, problems, where)
        if not sources:
            problems.error(FACTS_FILE, line, f"{where} names no source document",
                           "Add sources: [doc-...] naming the document(s) it comes from.")
        check_types(raw, {"critical": bool}, FACTS_FILE, where, problems)
        if kinds[0] == "items":
            check_keys(raw, {"items", "words", "critical", "sources"}, FACTS_FILE, where, problems)
            fields = raw.get("words") or Seq(["label"])
            if not isinstance(fields, list) or not all(isinstance(f, str) and _ID.match(f) for f in fields):
                problems.error(FACTS_FILE, raw.line_of("words"), f"the words of {where} must be a list of field names",
                               "Write words: [label, reason].")
                fields = Seq(["label"])
            items = _items(raw, fact_id, documents, problems)
            result[fact_id] = Fact(fact_id, None, items, tuple(str(f) for f in fields),
                                   bool(raw.get("critical", False)), sources, line)
        else:
            check_keys(raw, {"value", "range", "unit", "critical", "sources"}, FACTS_FILE, where, problems)
            amount = _amount(raw, FACTS_FILE, line, where, problems)
            if amount is not None:
                result[fact_id] = Fact(fact_id, amount, (), ("label",), bool(raw.get("critical", False)),
                                       sources, line)
    return result


def _items(raw: Node, fact_id: str, documents: set, problems: Problems) -> tuple[Item, ...]:
    items = _mapping(raw, "items", FACTS_FILE, problems)
    result = []
    for item_id in items or ():
        line = items.line_of(item_id)
        attrs = items[item_id] if items[item_id] is not None else Node()
        if not isinstance(attrs, Node):
            problems.error(FACTS_FILE, line, f'item "{item_id}" of "{fact_id}" must be a mapping',
                           "Write `{}` for an item with no numbers, or give its sources:.")
            continue
        terms, amounts = [], []
        for name, value in attrs.items():
            if name == "sources":
                continue
            if isinstance(value, Node):
                check_keys(value, {"value", "range", "unit"}, FACTS_FILE, f'"{fact_id}: {item_id}.{name}"', problems)
                amount = _amount(value, FACTS_FILE, attrs.line_of(name), f'"{fact_id}: {item_id}.{name}"', problems)
                if amount:
                    amounts.append((str(name), amount))
            elif isinstance(value, str) and _ID.match(value):
                terms.append((str(name), value))
            else:
                problems.error(FACTS_FILE, attrs.line_of(name), f'"{item_id}.{name}" of "{fact_id}" is neither a term nor a number',
                               "Write a term id (frequency: common) or a number ({range: [1, 2], unit: week}).")
        sources = _sources(attrs, documents, problems, f'item "{item_id}" of "{fact_id}"')
        result.append(Item(str(item_id), tuple(terms), tuple(amounts), sources, line))
    return tuple(result)


def _disagreements(node: Node, facts: dict, problems: Problems):
    for dis_id in node:
        raw = _mapping(node, dis_id, FACTS_FILE, problems)
        if raw is None:
            continue
        check_keys(raw, {"facts", "note"}, FACTS_FILE, f'disagreement "{dis_id}"', problems, required=("facts", "note"))
        check_types(raw, {"facts": list, "note": str}, FACTS_FILE, f'disagreement "{dis_id}"', problems)
        ids = tuple(str(f) for f in raw["facts"]) if isinstance(raw.get("facts"), list) else ()
        _known_facts(ids, raw, facts, problems)
        yield Disagreement(str(dis_id), ids, str(raw.get("note", "")), node.line_of(dis_id))


def _corrections(node: Node, facts: dict, documents: dict, problems: Problems):
    for cor_id in node:
        raw = _mapping(node, cor_id, FACTS_FILE, problems)
        if raw is None:
            continue
        check_keys(raw, {"document", "says", "carried_as", "facts"}, FACTS_FILE, f'correction "{cor_id}"',
                   problems, required=("document", "says", "carried_as"))
        check_types(raw, {"says": str, "carried_as": str, "facts": list}, FACTS_FILE, f'correction "{cor_id}"', problems)
        if not isinstance(raw.get("document"), str) or raw["document"] not in documents:
            problems.error(FACTS_FILE, raw.line_of("document"), f'correction "{cor_id}" names an unknown document',
                           f"Use one of: {', '.join(documents)}.")
        ids = tuple(str(f) for f in raw["facts"]) if isinstance(raw.get("facts"), list) else ()
        _known_facts(ids, raw, facts, problems)
        yield Correction(str(cor_id), str(raw.get("document")), str(raw.get("says", "")),
                         str(raw.get("carried_as", "")), ids, node.line_of(cor_id))


def _known_facts(ids, raw: Node, facts: dict, problems: Problems) -> None:
    for fact_id in ids:
        if fact_id not in facts:
            problems.error(FACTS_FILE, raw.line_of("facts"), f'unknown fact "{fact_id}"',
                           f"{suggest(fact_id, facts)}Facts are defined under 'facts:'.")


__all__ = ["Amount", "Document", "Fact", "Facts", "Item", "Words", "load_facts", "plural_categories"]

"""Language-neutral facts (`content/facts.yaml`) and each language's words for them.

A number, a list or a statement lives once, in `facts.yaml`; `content/<lang>/words.yaml` gives only
words: labels, item texts, statements' texts, the forms of counted nouns (`units`), the words for
terms and the titles of the source documents. Where the sources disagree, a fact carries their
`variants` and the clinic's `decision` (decisions.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from patientsite.errors import Problem, Problems, suggest
from patientsite.load.config import Config
from patientsite.load.decisions import (
    FACTS_FILE,
    Amount,
    Decision,
    Variant,
    mapping,
    read_amount,
    read_decision,
    read_sources,
    read_variants,
    warn_unconfirmed,
)
from patientsite.load.textfile import read_source
from patientsite.load.words import WORDS_FILE, Words, plural_categories, read_words
from patientsite.load.yamlload import Node, Seq, check_keys, check_types, parse_yaml

_ID = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*\Z")
_OWN = ("value", "range", "items", "sources")   # what a fact with variants takes from them instead


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
    amount: Amount | None            # a number fact (where the sources disagree: the decided number)
    items: tuple[Item, ...]          # a list fact
    word_fields: tuple[str, ...]
    critical: bool
    sources: tuple[str, ...]         # with variants: the union of the variants' sources
    line: int
    statement: bool = False          # a statement: its words (label, text) are in words.yaml
    variants: tuple[Variant, ...] = ()
    decision: Decision | None = None
    not_on_pages: str = ""           # why the fact is not shown to patients ("" when it is)

    @property
    def is_list(self) -> bool:
        return self.amount is None and not self.statement

    @property
    def kind(self) -> str:
        return "statement" if self.statement else "list" if self.is_list else "number"

    def amounts(self):
        """Every number the pages show: its own, or its items'."""
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
    translation_of: str | None = None   # a translation is never a second source


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
    corrections: tuple[Correction, ...]
    words: Mapping[str, Words]
    warnings: tuple[Problem, ...] = ()

    @property
    def disagreements(self) -> tuple[Fact, ...]:
        """Every fact whose sources disagree: the facts with variants, in file order."""
        return tuple(f for f in self.facts.values() if f.variants)

    def original(self, doc_id: str) -> str:
        """The document a translation translates; any other document itself."""
        doc = self.documents.get(doc_id)
        return doc.translation_of if doc is not None and doc.translation_of else doc_id

    def originals(self, doc_ids) -> tuple[str, ...]:
        """The distinct source documents behind `doc_ids`: a translation counts as its original."""
        return tuple(sorted({self.original(d) for d in doc_ids}))


def load_facts(config: Config) -> Facts:
    """Read `content/facts.yaml` and every language's `words.yaml`; check they agree."""
    problems = Problems("reading the facts")
    data = _read(config.root, FACTS_FILE, problems)
    problems.raise_if_any()
    check_keys(data, {"documents", "facts", "corrections"}, FACTS_FILE,
               "facts.yaml", problems, required=("documents", "facts"))
    sections = {key: mapping(data, key, FACTS_FILE, problems) if data.get(key) is not None else Node()
                for key in ("documents", "facts", "corrections")}
    sections = {key: Node() if value is None else value for key, value in sections.items()}
    documents = _documents(sections["documents"], problems)
    node = sections["facts"]
    facts = _facts(node, set(documents), {config.reviewer.id}, problems)
    corrections = tuple(_corrections(sections["corrections"], facts, documents, problems))
    words = {}
    for language in config.languages:
        path = f"content/{language.code}/{WORDS_FILE}"
        raw = _read(config.root, path, problems)
        if raw is not None:
            words[language.code] = read_words(raw, path, facts, documents, language, config, problems,
                                              defined=set(node))
    problems.raise_if_any()
    warn_unconfirmed(facts, config.reviewer.name, problems)
    return Facts(MappingProxyType(documents), MappingProxyType(facts), corrections,
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


def _documents(node: Node, problems: Problems) -> dict[str, Document]:
    result: dict[str, Document] = {}
    for doc_id in node:
        doc = mapping(node, doc_id, FACTS_FILE, problems)
        if doc is None:
            continue
        check_keys(doc, {"file", "language", "title", "translation_of"}, FACTS_FILE, f'document "{doc_id}"',
                   problems, required=("file", "language", "title"))
        check_types(doc, {"file": str, "language": str, "title": str, "translation_of": str}, FACTS_FILE,
                    f'document "{doc_id}"', problems)
        original = str(doc["translation_of"]) if "translation_of" in doc else None
        result[str(doc_id)] = Document(str(doc_id), str(doc.get("file", "")), str(doc.get("language", "")),
                                       str(doc.get("title", "")), original)
    for document in list(result.values()):
        translated = result.get(document.translation_of or "")
        if document.translation_of is not None and (translated is None or translated.translation_of
                                                    or translated is document):
            others = [d for d in result if d != document.id]
            problems.error(FACTS_FILE, node[document.id].line_of("translation_of"),
                           f'document "{document.id}" is a translation of "{document.translation_of}", which is not '
                           "an original document listed here",
                           f"{suggest(document.translation_of, others)}Name the original document it translates "
                           "(one that is not itself a translation).")
            # no second error for it
            result[document.id] = Document(document.id, document.file, document.language, document.title)
    return result


_COMMON = {"critical", "not_on_pages"}


def _facts(node: Node, documents: set, reviewers: set, problems: Problems) -> dict[str, Fact]:
    result = {}
    for fact_id in node:
        line = node.line_of(fact_id)
        if not isinstance(fact_id, str) or not _ID.match(fact_id):
            problems.error(FACTS_FILE, line, f'fact id "{fact_id}" may only use a-z, 0-9 and ". _ -"', "")
            continue
        raw = mapping(node, fact_id, FACTS_FILE, problems)
        if raw is not None:
            fact = _fact(fact_id, raw, line, documents, reviewers, problems)
            if fact is not None:
                result[fact_id] = fact
    return result


def _fact(fact_id: str, raw: Node, line: int, documents: set, reviewers: set, problems: Problems) -> Fact | None:
    where = f'fact "{fact_id}"'
    check_types(raw, {"critical": bool}, FACTS_FILE, where, problems)
    critical = raw.get("critical", False) is True
    reason = raw.get("not_on_pages", "")
    if "not_on_pages" in raw and (not isinstance(reason, str) or not reason.strip()):
        problems.error(FACTS_FILE, raw.line_of("not_on_pages"), f"the not_on_pages reason of {where} is empty",
                       'Say in one line why patients are not shown it: not_on_pages: "...".')
    reason = str(reason or "").strip()
    if "statement" in raw and raw["statement"] is not True:
        problems.error(FACTS_FILE, raw.line_of("statement"), f"statement: of {where} must be true",
                       "Write statement: true for a fact that is words, not a number or a list; else remove the line.")
    statement = raw.get("statement") is True
    if "variants" in raw:
        check_keys(raw, {"variants", "decision", "unit", "statement", *_OWN, *_COMMON}, FACTS_FILE, where, problems)
        own = [k for k in _OWN if k in raw]
        if own:
            problems.error(FACTS_FILE, raw.line_of(own[0]), f"{where} has both variants and its own {', '.join(own)}",
                           "With variants, each source's value and sources go in its variant and the published "
                           f"value in decision:; remove {', '.join(own)} here, or remove variants:.")
        variants = read_variants(raw, where, statement, documents, problems)
        if "decision" not in raw:
            problems.error(FACTS_FILE, raw.line_of("variants"), f"{where} has variants but no decision",
                           "Add decision: with the value the clinic publishes (for a statement, its words go in "
                           "words.yaml), status: proposed, reviewer:, date: and rationale:.")
            return None
        decision = read_decision(raw, where, statement, len(variants), reviewers, problems)
        if decision is None or (decision.amount is None and not statement):
            return None
        sources = tuple(sorted({doc for variant in variants for doc in variant.sources}))
        return Fact(fact_id, decision.amount, (), ("label", "text") if statement else ("label",), critical,
                    sources, line, statement, variants, decision, reason)
    if "decision" in raw:
        read_decision(raw, where, statement, 0, reviewers, problems)   # nothing to decide: an error
    kinds = [k for k in ("value", "range", "items") if k in raw]
    if statement and kinds:
        problems.error(FACTS_FILE, raw.line_of(kinds[0]), f"{where} is a statement but has {kinds[0]}:",
                       f"A statement's words are in words.yaml (label:, text:); remove {kinds[0]}: here, "
                       "or remove statement: true.")
        return None
    if not statement and len(kinds) != 1:
        problems.error(FACTS_FILE, line, f"{where} must have exactly one of value, range or items",
                       "A number fact has value: or range: with unit:; a list fact has items:; "
                       "a statement has statement: true.")
        return None
    sources = read_sources(raw, documents, problems, where)
    if not sources:
        problems.error(FACTS_FILE, line, f"{where} names no source document",
                       "Add sources: [doc-...] naming the document(s) it comes from.")
    if statement:
        check_keys(raw, {"statement", "sources", "decision", *_COMMON}, FACTS_FILE, where, problems)
        return Fact(fact_id, None, (), ("label", "text"), critical, sources, line, True, not_on_pages=reason)
    if kinds[0] == "items":
        check_keys(raw, {"items", "words", "sources", "decision", *_COMMON}, FACTS_FILE, where, problems)
        fields = raw.get("words") or Seq(["label"])
        items = _items(raw, fact_id, documents, problems)
        return Fact(fact_id, None, items, tuple(str(f) for f in fields), critical, sources, line,
                    not_on_pages=reason)
    check_keys(raw, {"value", "range", "unit", "sources", "decision", *_COMMON}, FACTS_FILE, where, problems)
    amount = read_amount(raw, FACTS_FILE, line, where, problems)
    if amount is None:
        return None
    return Fact(fact_id, amount, (), ("label",), critical, sources, line, not_on_pages=reason)


def _items(raw: Node, fact_id: str, documents: set, problems: Problems) -> tuple[Item, ...]:
    items = mapping(raw, "items", FACTS_FILE, problems)
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
                amount = read_amount(value, FACTS_FILE, attrs.line_of(name), f'"{fact_id}: {item_id}.{name}"', problems)
                if amount:
                    amounts.append((str(name), amount))
            elif isinstance(value, str) and _ID.match(value):
                terms.append((str(name), value))
            else:
                problems.error(FACTS_FILE, attrs.line_of(name),
                               f'"{item_id}.{name}" of "{fact_id}" is neither a term nor a number',
                               "Write a term id (frequency: common) or a number ({range: [1, 2], unit: week}).")
        sources = read_sources(attrs, documents, problems, f'item "{item_id}" of "{fact_id}"')
        result.append(Item(str(item_id), tuple(terms), tuple(amounts), sources, line))
    return tuple(result)


def _corrections(node: Node, facts: dict, documents: dict, problems: Problems):
    for cor_id in node:
        raw = mapping(node, cor_id, FACTS_FILE, problems)
        if raw is None:
            continue
        check_keys(raw, {"document", "says", "carried_as", "facts"}, FACTS_FILE, f'correction "{cor_id}"',
                   problems, required=("document", "says", "carried_as"))
        check_types(raw, {"says": str, "carried_as": str, "facts": list}, FACTS_FILE, f'correction "{cor_id}"',
                    problems)
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

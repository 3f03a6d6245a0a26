"""Each language's words for the facts (`content/<lang>/words.yaml`): labels, item texts, the
forms of counted nouns (`units`, one per CLDR plural category) and the words for terms."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from patientsite.errors import Problems, suggest
from patientsite.load.config import Config
from patientsite.load.shortcodes import BLOCK_FUNCTIONS, read_calls
from patientsite.load.units import words_units
from patientsite.load.yamlload import Node, check_keys, check_types
from patientsite.render.markdown import find_unsafe_markup

WORDS_FILE = "words.yaml"
CLDR_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}
# Units Babel formats itself: (CLDR unit id, preferred length). Any other unit is a counted noun.
MEASURE_UNITS: dict[str, tuple[str, Literal["short", "long", "narrow"]]] = {
    "mm": ("length-millimeter", "short"), "ml": ("volume-milliliter", "short"),
    "minute": ("duration-minute", "long"), "hour": ("duration-hour", "long"),
    "day": ("duration-day", "long"), "week": ("duration-week", "long"),
    "month": ("duration-month", "long"), "year": ("duration-year", "long"),
}


@dataclass(frozen=True)
class Words:
    """One language's words for the facts."""

    path: str
    units: Mapping[str, Mapping[str, str]]
    terms: Mapping[str, str]
    labels: Mapping[str, str]
    items: Mapping[tuple[str, str], Mapping[str, str]]
    lines: Mapping[str, int]       # "fact id", "fact id#item id", "term:id", "source:doc id" -> line
    texts: Mapping[str, str]       # statement fact id -> its text
    sources: Mapping[str, str]     # document id -> its title for patients
    # the translation units of the file, made from the same parse (load/units.py)
    translation_units: Mapping = field(default_factory=lambda: MappingProxyType({}), compare=False, repr=False)


def _plural_categories(language) -> tuple[str, ...]:
    """The CLDR plural categories a counted noun needs in this language (worked out once: the
    preview reloads the words after every edit)."""
    rule = language.babel.plural_form
    samples = [Decimal(n) for n in range(0, 1001)] + [Decimal("1.5"), Decimal("0.5")]
    return tuple(sorted({rule(n) for n in samples} | {"other"}))


# Cached by wrapping rather than decorating, so that mutation testing (scripts/mutation.sh) reaches it.
plural_categories = functools.lru_cache(maxsize=64)(_plural_categories)


def read_words(data: Node, path: str, facts: dict, documents: dict, language, config: Config,
               problems: Problems, defined=None) -> Words:
    """One language's words.yaml, checked against the facts: every fact, item field, unit and term,
    and the documents' titles. `defined`: every fact id of facts.yaml, also those with errors of
    their own (default: `facts`), so their words are not reported as unknown too."""
    check_keys(data, {"units", "terms", "facts", "sources"}, path, "words.yaml", problems, required=("facts",))
    units: dict = {}
    terms: dict = {}
    labels: dict = {}
    items: dict = {}
    lines: dict = {}
    texts: dict = {}
    titles = _titles(data, path, documents, lines, problems)
    needed = plural_categories(language)
    for section in ("units", "terms", "facts"):
        if data.get(section) is not None and not isinstance(data[section], Node):
            problems.error(path, data.line_of(section), f'"{section}" must be a mapping of names to words',
                           f"Indent the entries of {section}: under it, one per line.")
    sections = {s: data[s] if isinstance(data.get(s), Node) else Node() for s in ("units", "terms")}
    for unit, forms in sections["units"].items():
        line = sections["units"].line_of(unit)
        if not isinstance(forms, Node):
            problems.error(path, line, f'unit "{unit}" must list its forms', "Write {one: ..., other: ...}.")
            continue
        missing = [c for c in needed if not forms.get(c)]
        if missing:
            problems.error(path, line, f'unit "{unit}" lacks the plural form(s) {", ".join(missing)}',
                           f"{language.code} needs the forms {', '.join(needed)} "
                           "(e.g. Russian: 1 сеанс, 2 сеанса, 5 сеансов, 1,5 сеанса).")
        check_keys(forms, CLDR_CATEGORIES, path, f'the unit "{unit}"', problems)
        check_types(forms, dict.fromkeys(forms, str), path, f'the unit "{unit}"', problems)
        units[str(unit)] = MappingProxyType({str(k): str(v) for k, v in forms.items()})
    check_types(sections["terms"], dict.fromkeys(sections["terms"], str), path, "terms", problems)
    for term, text in sections["terms"].items():
        terms[str(term)] = str(text)
        lines[f"term:{term}"] = sections["terms"].line_of(term)
    given = data.get("facts") if isinstance(data.get("facts"), Node) else Node()
    for fact_id in given:
        if fact_id not in (facts if defined is None else defined):
            problems.error(path, given.line_of(fact_id), f'words for an unknown fact "{fact_id}"',
                           f"{suggest(str(fact_id), facts)}Every fact id must be defined in content/facts.yaml.")
    for fact in facts.values():
        where_line = given.line_of(fact.id) if fact.id in given else data.line_of("facts")
        lines[fact.id] = where_line
        raw = given.get(fact.id)
        hint_what = ("a label and a text" if fact.statement else "a label" if not fact.is_list
                     else f"a label and, for every item, {', '.join(fact.word_fields)}")
        if raw is None:
            if not fact.not_on_pages:
                problems.error(path, where_line, f'no {language.code} words for the fact "{fact.id}"',
                               f"Add {hint_what} under facts: (copy the entry from content/{config.source_language.code}/{WORDS_FILE}).")  # noqa: E501
            continue
        if fact.statement:
            for field_name in ("label", "text"):
                if not isinstance(raw, Node) or not isinstance(raw.get(field_name), str) or not raw[field_name].strip():
                    problems.error(path, where_line, f'the words for the statement "{fact.id}" need {field_name}:',
                                   "Write label: (a short label) and text: (the statement as patients read it).")
            if isinstance(raw, Node):
                check_keys(raw, {"label", "text"}, path, f'the words for "{fact.id}"', problems)
                labels[fact.id], texts[fact.id] = str(raw.get("label", "")), str(raw.get("text", ""))
            continue
        if not fact.is_list:
            if not isinstance(raw, str) or not raw.strip():
                problems.error(path, where_line, f'the words for "{fact.id}" must be its label (a line of text)', "")
            labels[fact.id] = str(raw)
            continue
        if not isinstance(raw, Node) or not isinstance(raw.get("items"), Node):
            problems.error(path, where_line, f'the words for the list "{fact.id}" need label: and items:', "")
            continue
        check_keys(raw, {"label", "items"}, path, f'the words for "{fact.id}"', problems, required=("label",))
        check_types(raw, {"label": str}, path, f'the words for "{fact.id}"', problems)
        labels[fact.id] = str(raw.get("label", ""))
        for item in fact.items:
            given_item = raw["items"].get(item.id)
            line = raw["items"].line_of(item.id)
            lines[f"{fact.id}#{item.id}"] = line
            if not isinstance(given_item, Node):
                problems.error(path, raw["items"].line if given_item is None else line,
                               f'no {language.code} words for item "{item.id}" of "{fact.id}"',
                               f"Add {', '.join(fact.word_fields)} for it.")
                continue
            check_keys(given_item, set(fact.word_fields), path, f'item "{item.id}" of "{fact.id}"', problems)
            check_types(given_item, dict.fromkeys(given_item, str), path, f'item "{item.id}" of "{fact.id}"', problems)
            for field_name in fact.word_fields:
                if not str(given_item.get(field_name, "") or "").strip():
                    problems.error(path, line, f'item "{item.id}" of "{fact.id}" has no "{field_name}"',
                                   f"Add {field_name}: with the {language.code} text.")
            items[(fact.id, item.id)] = MappingProxyType({str(k): str(v) for k, v in given_item.items()})
            for field_name, text in given_item.items():
                _warn_unsafe(str(text), path, given_item.text_line(field_name), problems)
            _check_word_calls(items[(fact.id, item.id)], path, line, fact.id, problems)
        for item_id in raw["items"]:
            if item_id not in {i.id for i in fact.items}:
                problems.error(path, raw["items"].line_of(item_id),
                               f'words for an unknown item "{item_id}" of "{fact.id}"',
                               f"The items of this list are: {', '.join(i.id for i in fact.items)}.")
    used_units = {a.unit for f in facts.values() if not f.not_on_pages for a in f.amounts()} - set(MEASURE_UNITS)
    for unit in sorted(used_units - set(units)):
        problems.error(path, data.line_of("units"), f'no {language.code} forms for the counted noun "{unit}"',
                       f"Add under units: {unit}: {{{', '.join(c + ': ...' for c in needed)}}}.")
    own = config.reviewer.own.get(language.code, {})     # the reviewer's words given in site.yaml
    used_terms = {t for f in facts.values() for i in f.items for _, t in i.terms} | {
        term for key, term in (("role", config.reviewer.role), ("title", config.reviewer.title))
        if term and key not in own}
    for term in sorted(used_terms - set(terms)):
        problems.error(path, data.line_of("terms"), f'no {language.code} words for the term "{term}"',
                       f"Add under terms: {term}: ...")
    return Words(path, MappingProxyType(units), MappingProxyType(terms), MappingProxyType(labels),
                 MappingProxyType(items), MappingProxyType(lines), MappingProxyType(texts), MappingProxyType(titles),
                 MappingProxyType(words_units(data, path, frozenset(f for f, fact in facts.items() if fact.critical))))


def _titles(data: Node, path: str, documents: dict, lines: dict, problems: Problems) -> dict[str, str]:
    """The `sources:` section: each original document's title as patients read it. Which titles are
    needed depends on the pages (model/site.py checks that each page's sources have one)."""
    node = data.get("sources")
    lines["section:sources"] = data.line_of("sources") if node is not None else 1
    if node is None:
        return {}
    if not isinstance(node, Node):
        problems.error(path, data.line_of("sources"), '"sources" must map each document id to its title',
                       'Write sources: then, indented, doc-000: "Title (in Italian)".')
        return {}
    titles = {}
    for doc_id, title in node.items():
        line = lines[f"source:{doc_id}"] = node.line_of(doc_id)
        doc = documents.get(doc_id)
        if doc is None:
            problems.error(path, line, f'a title for an unknown document "{doc_id}"',
                           f"{suggest(str(doc_id), documents)}Documents are listed in content/facts.yaml.")
        elif doc.translation_of:
            problems.error(path, line, f'"{doc_id}" is a translation of "{doc.translation_of}": pages never list it',
                           f"Delete this line; the title of {doc.translation_of} stands for both.")
        elif not isinstance(title, str) or not title.strip():
            problems.error(path, line, f'the title of "{doc_id}" must be a line of text',
                           'Write the title patients read, e.g. doc-000: "Mesoterapia (in italiano)".')
        else:
            titles[str(doc_id)] = title.strip()
    return titles


def _check_word_calls(texts, path: str, line: int, fact_id: str, problems: Problems) -> None:
    """A list item's words are text inside the list: they may show a number (fact) or a link, never a
    block (fact_list, fact_faq, fact_table), so a list can neither show itself nor start a cycle."""
    for text in texts.values():
        for call in read_calls(text)[0] if "{" in text else ():
            if call.function in BLOCK_FUNCTIONS:
                problems.error(path, line + call.line - 1,
                               f'the words of "{fact_id}" call {call.function}("{call.names[0] if call.names else ""}"): a list\'s '  # noqa: E501
                               "words cannot show a list or table (a list showing itself, or a cycle of lists, "
                               "would never end)",
                               'Use fact("id") for a number here, and put the list or table on the page.')


def _warn_unsafe(text: str, path: str, line: int, problems: Problems) -> None:
    """An item's words are Markdown: what the sanitizer removes from them is named, as for pages."""
    for offset, what in find_unsafe_markup(text):
        problems.warn(path, line + offset - 1, f'removed unsafe markup "{what}"',
                      "Words may not carry scripts, event handlers or javascript:, vbscript: or data: links; "
                      "delete it from the words.")

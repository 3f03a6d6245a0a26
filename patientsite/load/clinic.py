"""The clinic's and the reviewer's details in `site.yaml`, per language.

Every detail may be given once for all languages (`clinic: phone: ...`) or per language, in a block
named by the language's code (`clinic: en: address: [...]`); a language's own value wins. After that,
every language must have every required detail: a missing one is an error at the line of its block.
The address is a list of lines, in the order the language writes an address (Russian: country, town,
street), or one line of text. The reviewer's `title` and `role` are term ids (words in each
`words.yaml` under `terms:`) when given once, and the words themselves in a language's block, where
the reviewer's name may be spelt in the language's script (`ru: name: Анна Эсемпио`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from patientsite.errors import Problems, shown
from patientsite.load.yamlload import Node, Seq, check_keys, check_types

CONFIG_FILE = "site.yaml"
CLINIC_DETAILS = ("name", "address", "phone", "email", "emergency_number")
CLINIC_SHARED = ("example", "brand_colour")
REVIEWER_WORDS = ("name", "title", "role")
_TERM = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")


@dataclass(frozen=True)
class Clinic:
    """The clinic's details as one language shows them."""

    name: str
    address: str                    # the lines joined with ", " (structured data, messages)
    phone: str
    email: str
    example: bool
    emergency_number: str = "112"   # shown in every "When to get help" box
    brand_colour: str = "#0b5394"   # #rrggbb: the header and buttons, under white text (brand.css)
    address_lines: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[str, ...]:
        return self.address_lines or (self.address,)


@dataclass(frozen=True)
class Reviewer:
    name: str          # the name only, e.g. "Anna Esempio"
    role: str          # a term id ("" when every language gives its own role)
    id: str = "reviewer"   # decisions in content/facts.yaml name the reviewer by this id
    title: str = ""    # a term id (e.g. doctor_title: "Dott.ssa", "Dr", "д-р"); "" as for role
    # language code -> {"name"|"title"|"role": the words}, given in the language's block
    own: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ReviewerWords:
    """The reviewer as one language's pages name them."""

    name: str
    title: str
    role: str


def reviewer_words(reviewer: Reviewer, code: str, terms: Mapping[str, str]) -> ReviewerWords:
    """The reviewer's name, title and role in the language `code` (`terms`: its words.yaml terms)."""
    own = reviewer.own.get(code, {})
    return ReviewerWords(own.get("name", reviewer.name),
                         own["title"] if "title" in own else terms.get(reviewer.title, ""),
                         own["role"] if "role" in own else terms.get(reviewer.role, ""))


def read_clinic(node: Node, codes: tuple[str, ...], source: str,
                problems: Problems) -> tuple[Clinic, Mapping[str, Clinic]]:
    """`clinic:` -> (the source language's Clinic, language code -> its Clinic)."""
    empty = Clinic("", "", "", "", False)
    if node.line is None:        # no clinic: at all (reported as a missing key of site.yaml)
        return empty, MappingProxyType({})
    check_keys(node, {*CLINIC_DETAILS, *CLINIC_SHARED, *codes}, CONFIG_FILE, '"clinic"', problems)
    check_types(node, {"example": bool, "brand_colour": str}, CONFIG_FILE, '"clinic"', problems)
    shared = _details(node, '"clinic"', problems)
    clinics = {}
    missing: dict[str, list[str]] = {}      # detail -> the languages without it
    for code in codes:
        block = _block(node, code, "clinic", problems)
        own = {}
        if block is not None:
            check_keys(block, set(CLINIC_DETAILS), CONFIG_FILE, f'"clinic: {code}"', problems)
            own = _details(block, f'"clinic: {code}"', problems)
        details = {**shared, **own}
        for key in CLINIC_DETAILS:
            if key not in details:
                missing.setdefault(key, []).append(code)
        lines = details.get("address", ("",))
        clinics[code] = Clinic(str(details.get("name", "")), ", ".join(lines), str(details.get("phone", "")),
                               str(details.get("email", "")), node.get("example") is True,
                               str(details.get("emergency_number", "112")),
                               str(node.get("brand_colour", "#0b5394")).lower(), tuple(lines))
    for key, languages in missing.items():
        what = key.replace("_", " ")
        if len(languages) == len(codes) and not any(isinstance(node.get(c), Node) and key in node[c] for c in codes):
            problems.error(CONFIG_FILE, node.line, f"the clinic has no {what}",
                           f'Add "{key}: ..." under clinic: (the same in every language), or under each '
                           "language's block (clinic: it: ...).")
            continue
        for code in languages:
            problems.error(CONFIG_FILE, node.line_of(code) if isinstance(node.get(code), Node) else node.line,
                           f'the clinic has no {what} for "{code}"',
                           f'Add "{key}: ..." under clinic: {code}: (or once under clinic: for every language).')
    return clinics.get(source, empty), MappingProxyType(clinics)


def _details(node: Node, where: str, problems: Problems) -> dict:
    """The clinic details a mapping gives, checked: texts, the address as lines, the emergency number."""
    check_types(node, {"name": str, "phone": str, "email": str}, CONFIG_FILE, where, problems)
    found: dict = {key: node[key] for key in ("name", "phone", "email") if isinstance(node.get(key), str)
                   and node[key].strip()}
    if "address" in node:
        address = node["address"]
        lines = [address] if isinstance(address, str) else address if isinstance(address, Seq) else None
        if not lines or not all(isinstance(line, str) and line.strip() for line in lines):
            problems.error(CONFIG_FILE, node.line_of("address"), f'the address in {where} must be a line of '
                           "text or a list of lines", 'Write it like address: ["Via Esempio 1", "00100 Roma"], '
                           "the lines in the order the language writes an address.")
        else:
            found["address"] = tuple(line.strip() for line in lines)
    if "emergency_number" in node:
        emergency = node["emergency_number"]
        if not re.fullmatch(r"\+?[0-9][0-9 ]*", str(emergency)):
            problems.error(CONFIG_FILE, node.line_of("emergency_number"),
                           f'the emergency number "{shown(emergency)}" is not a telephone number',
                           'Write the digits in quotes, e.g. emergency_number: "112".')
        else:
            found["emergency_number"] = str(emergency)
    return found


def _block(node: Node, code: str, section: str, problems: Problems) -> Node | None:
    block = node.get(code)
    if code in node and not isinstance(block, Node):
        problems.error(CONFIG_FILE, node.line_of(code), f'"{section}: {code}" must be a mapping of keys to values',
                       f"Indent the {section}'s {code} details under {code}:, e.g. {code}: {{name: ...}}.")
        return None
    return block


def read_reviewer(node: Node, codes: tuple[str, ...], problems: Problems) -> Reviewer:
    """`reviewer:` -> a Reviewer: id and name; title and role as terms, or per language as words."""
    check_keys(node, {"id", "name", "title", "role", *codes}, CONFIG_FILE, '"reviewer"', problems,
               required=("id", "name") if node.line is not None else ())
    check_types(node, {"id": str, "name": str, "title": str, "role": str}, CONFIG_FILE, '"reviewer"', problems)
    for key, what in (("id", "an id"), ("title", "a term"), ("role", "a term")):
        if key in node and isinstance(node[key], str) and not _TERM.match(node[key]):
            problems.error(CONFIG_FILE, node.line_of(key), f'the reviewer\'s {key} "{shown(node[key])}" is not {what}',
                           "Use lower-case letters, digits and . _ - only, e.g. anna-esempio or doctor_title "
                           "(titles and roles are words in content/<lang>/words.yaml under terms:), or give the "
                           f"words per language: reviewer: en: {key if key != 'id' else 'title'}: ...")
    own: dict[str, Mapping[str, str]] = {}
    for code in codes:
        block = _block(node, code, "reviewer", problems)
        if block is not None:
            check_keys(block, set(REVIEWER_WORDS), CONFIG_FILE, f'"reviewer: {code}"', problems)
            check_types(block, dict.fromkeys(REVIEWER_WORDS, str), CONFIG_FILE, f'"reviewer: {code}"', problems)
            own[code] = MappingProxyType({k: block[k].strip() for k in REVIEWER_WORDS
                                          if isinstance(block.get(k), str) and block[k].strip()})
    for key in ("title", "role") if node.line is not None else ():
        lacking = [code for code in codes if key not in own.get(code, {})] if key not in node else []
        if lacking and len(lacking) == len(codes):
            problems.error(CONFIG_FILE, node.line, f"the reviewer has no {key}",
                           f'Add "{key}: TERM" under reviewer: (a term of every words.yaml), or the words under '
                           f"each language: reviewer: {codes[0] if codes else 'it'}: {key}: ...")
        for code in lacking if len(lacking) < len(codes) else ():
            problems.error(CONFIG_FILE, node.line_of(code) if code in own else node.line,
                           f'the reviewer has no {key} for "{code}"',
                           f'Add "{key}: ..." under reviewer: {code}: (the words), or "{key}: TERM" under '
                           "reviewer: (a term of every words.yaml).")
    return Reviewer(str(node.get("name", "")), str(node.get("role", "")), str(node.get("id", "")),
                    str(node.get("title", "")), MappingProxyType(own))

"""Translation units as the load stage reads them: every translated thing (a page, a fact's words, a
term, a counted noun's forms, a UI string) as a `Unit`, the hash of its canonical text. Each reader of
the load stage makes the units of what it has just parsed (a page's front matter, a words.yaml, a
catalogue), so the translation status never reads or parses a file again."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import yaml

from patientsite.load.yamlload import Node, Seq, parse_yaml

PAGE_FIELDS = ("title", "description", "nav_title")
WORDS_SECTIONS = (("terms", "term:"), ("units", "unit:"), ("facts", ""), ("sources", "source:"))


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


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def normal_text(text: str) -> str:
    """Line endings and trailing spaces do not count as changes."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def unit_key(unit: Unit) -> tuple[str, str]:
    return unit.kind, unit.id


# -- a page ---------------------------------------------------------------------------------------
def page_unit_of(rel: str, front, body: str, body_line: int) -> Unit | None:
    """A page's unit from its parsed front matter: its title, description, menu title and body
    (None without a key)."""
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


# -- a words.yaml ---------------------------------------------------------------------------------
def words_units(words, rel: str, critical: frozenset) -> dict[tuple[str, str], Unit]:
    """The units of one language's parsed words.yaml: each term, counted noun, fact's words and
    source title; `critical`: the ids of the critical facts."""
    units = {}
    for section, prefix in WORDS_SECTIONS if isinstance(words, Node) else ():
        node = words.get(section)
        for name, value in node.items() if isinstance(node, Node) else ():
            unit_id = f"{prefix}{name}"
            text = _words_text(value)
            units[("words", unit_id)] = Unit("words", unit_id, text, rel, node.line_of(name),
                                             unit_id in critical, data=_plain(value),
                                             lines=_words_lines(text, value, node.line_of(name)))
    return units


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


# -- a catalogue ----------------------------------------------------------------------------------
def ui_units(catalog, msgids, rel: str, unusable) -> dict[tuple[str, str], Unit]:
    """The units of one language's parsed catalogue: each UI string of `msgids` (the templates')
    that it holds. `unusable(message, plural, num_plurals)`: why a message cannot be used, or ''."""
    units = {}
    for msgid in msgids:
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
    return units

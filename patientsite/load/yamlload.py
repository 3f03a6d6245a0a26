"""Safe YAML that keeps line numbers and rejects duplicate keys.

Mappings load as `Node` dicts that remember the line of each key; lists as `Seq` lists
that remember the line of each item. Errors become `Problem`s naming `path:line:column`.

Hardened for untrusted content: anchors and aliases are refused (a few hundred bytes of aliases
expand to gigabytes), nesting deeper than MAX_DEPTH is refused, an impossible date (30 February)
or one outside MIN_YEAR..MAX_YEAR is an error naming its line, never an exception.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import yaml

from patientsite.errors import Problem, shown

MAX_DEPTH = 32
MIN_YEAR, MAX_YEAR = 1900, 2999


class Node(dict):
    """A YAML mapping that knows its own line and the line of each key (1-based; None when the
    mapping was not in a file)."""

    line: int | None = None
    key_lines: dict
    text_lines: Mapping = MappingProxyType({})   # key -> first line of a block scalar's text (| or >)

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)

    def text_line(self, key) -> int:
        """The line a value's text starts on: the key's line, or the next one for a | or > block."""
        return self.text_lines.get(key, self.line_of(key))


class Seq(list):
    """A YAML sequence that knows its own line and each item's line (1-based)."""

    line: int | None = None
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """libyaml's parser where installed (several times faster), with our constructors."""


class _Refused(Exception):
    def __init__(self, mark, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


def _deeper(loader: _Loader, node) -> None:
    loader.depth += 1
    if loader.depth > MAX_DEPTH:
        raise _Refused(node.start_mark, f"the data is nested more than {MAX_DEPTH} levels deep",
                       "Content files need only a few levels; check the indentation and the brackets.")


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    _deeper(loader, node)
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused(key_node.start_mark, 'the merge key "<<" is not allowed in content files',
                           "Write the keys out in full.")
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if (key is None or isinstance(key, bool)) and isinstance(key_node, yaml.ScalarNode) and not key_node.style:
            key = key_node.value       # "no:" (Norwegian), "on:", "null:" are names as written, not booleans
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise _Refused(key_node.start_mark, "a key must be a name or a number, not a list or mapping",
                           "Write the key as plain text followed by ':'.") from None
        if key in result:
            loader.duplicates.append(Problem(
                loader.src_path, line + loader.line_offset, key_node.start_mark.column + 1,
                f'duplicate key "{key}" (first given on line '
                f'{result.key_lines[key] + loader.line_offset})',
                "Keep one of the two; YAML would silently use the last one."))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
        if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
            result.text_lines = {**result.text_lines, key: value_node.start_mark.line + 2}
    loader.depth -= 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    _deeper(loader, node)
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    loader.depth -= 1
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise _Refused(node.start_mark, f'"{node.value}" is not a date ({exc})',
                       "Write a real date as YYYY-MM-DD, e.g. 2026-11-20.") from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise _Refused(node.start_mark, f'the date "{node.value}" is outside the years {MIN_YEAR}-{MAX_YEAR}',
                       "Write the real date as YYYY-MM-DD, e.g. 2026-11-20.")
    return value


def _construct_bool(loader: _Loader, node: yaml.ScalarNode):
    """true and false (in any of YAML's cases) are booleans; the other words YAML 1.1 reads as
    booleans (yes, no, on, off) are text as written, as in YAML 1.2: "No" is an answer, "no" Norwegian.
    Where a true/false is meant, the check of kinds asks for true or false by name."""
    if node.value.lower() in ("true", "false"):
        return node.value.lower() == "true"
    return node.value


_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _anchors(text: str, src_path: str, line_offset: int) -> list[Problem]:
    """Every anchor (&name) and alias (*name), refused: expanding aliases makes a few hundred bytes
    into gigabytes, and content files never need them. Only read when the text could hold one."""
    found = []
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                what = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                sign = "*" if what == "alias" else "&"
                found.append(Problem(src_path, event.start_mark.line + 1 + line_offset, event.start_mark.column + 1,
                                     f'YAML {what} "{sign}{event.anchor}" is not allowed in content files',
                                     "Write the value out in full where it is needed (anchors and aliases "
                                     "could make a small file expand without limit)."))
                if len(found) >= 20:
                    break
    except yaml.YAMLError:
        return []   # a syntax error: reported by the parse itself
    finally:
        loader.dispose()
    return found


def parse_yaml(text: str, src_path: str, line_offset: int = 0) -> tuple[object, list[Problem]]:
    """Parse YAML text; return (data, problems). Lines in `Node`s are file lines. Each call parses
    (nothing is shared between callers): the load stage parses each file once and hands on values."""
    if "&" in text or "*" in text:
        refused = _anchors(text, src_path, line_offset)
        if refused:
            return None, refused
    loader = _Loader(text)
    loader.src_path = src_path
    loader.line_offset = line_offset
    loader.duplicates = []
    loader.depth = 0
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, src_path, line_offset)]
    except _Refused as exc:
        return None, [Problem(src_path, exc.mark.line + 1 + line_offset, exc.mark.column + 1, exc.message,
                              exc.hint)]
    except RecursionError:
        return None, [Problem(src_path, None, None, "the data is nested too deeply",
                              "Content files need only a few levels; check the indentation and the brackets.")]
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        return None, [Problem(src_path, None, None, f"YAML error: {exc}",
                              "Check the file's indentation and quotes.")]
    finally:
        loader.dispose()
    if loader.duplicates:
        return data, list(loader.duplicates)
    return _shift(data, line_offset), []


_OPENED = ("while scanning a quoted scalar", "while parsing a flow", "while scanning a block scalar")


def _syntax_problem(exc: yaml.MarkedYAMLError, src_path: str, line_offset: int) -> Problem:
    """A syntax error at the line to fix: an unclosed quote or bracket where it opened (the parser
    notices it only at the next quote or at the end, maybe a hundred lines later)."""
    context = exc.context or ""
    if exc.context_mark is not None and context.startswith(_OPENED):
        mark = exc.context_mark
        what = "YAML syntax error: " + ("a quote opened here is never closed" if "quoted" in context
                else "a bracket opened here is never closed" if "flow" in context
                else exc.problem or context)
        where = exc.problem_mark
        found = f" (the parser noticed on line {where.line + 1 + line_offset})" if where and where.line != mark.line else ""  # noqa: E501
        return Problem(src_path, mark.line + 1 + line_offset, mark.column + 1, what + found,
                       "Close the quote or bracket on this line; a quote inside quoted text is written twice "
                       "('') in single quotes, or as \\\" in double quotes.")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + line_offset if mark else None
    column = mark.column + 1 if mark else None
    what = exc.problem or exc.context or "invalid YAML"
    return Problem(src_path, line, column, f"YAML syntax error: {what}",
                   "Check the indentation and the quotes on this line and the one "
                   "before it; text with ':' or '#' needs quotes.")


def _shift(data, offset: int):
    if not offset:
        return data
    if isinstance(data, Node):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        data.text_lines = {k: v + offset for k, v in data.text_lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, Seq):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift(value, offset)
    return data


def check_keys(node: Node, allowed, src_path: str, where: str, problems,
               required=()) -> None:
    """Report unknown keys and missing required keys of one mapping."""
    from patientsite.errors import suggest

    for key in node:
        if key not in allowed:
            problems.error(src_path, node.line_of(key), f'unknown key "{shown(key)}" in {where}',
                           f"{suggest(str(key), allowed)}Allowed keys: {', '.join(sorted(allowed))}.")
    for key in required:
        if key not in node:
            problems.error(src_path, node.line, f'{where} is missing the required key "{key}"',
                           f'Add "{key}: ..." here.')


_KIND_WORDS = {bool: "true or false", str: "a line of text", int: "a whole number", list: "a list"}
_KIND_HINTS = {bool: "Write {key}: true or {key}: false, without quotes.",
               str: 'Write {key}: followed by the text; put text that starts with a digit, or holds ":", "[" '
                    'or "{{", in quotes.',
               int: "Write {key}: followed by digits only, without quotes.",
               list: "Write {key}: [first, second]."}


def check_types(node: Node, kinds: dict, src_path: str, where: str, problems) -> None:
    """Report every key of `node` whose value is not of its kind: bool (a real true/false, never the
    text "false"), str (text, not a list, mapping, number or date), int (not a bool) or list."""
    for key, kind in kinds.items():
        if key not in node:
            continue
        value = node[key]
        if kind is bool:
            good = isinstance(value, bool)
        elif kind is int:
            good = isinstance(value, int) and not isinstance(value, bool)
        else:
            good = isinstance(value, kind)
        if kind is str and good and not value.strip():
            problems.error(src_path, node.line_of(key), f'"{key}" in {where} is empty',
                           _KIND_HINTS[str].format(key=key))
        elif not good:
            given = f' ("{shown(value)}")' if isinstance(value, str) else ""
            problems.error(src_path, node.line_of(key), f'"{key}" in {where} must be {_KIND_WORDS[kind]}, '
                           f"not {type_name(value)}{given}", _KIND_HINTS[kind].format(key=key))


def type_name(value, detail: bool = False) -> str:
    """How a YAML value's type reads in a message; `detail` spells out a boolean's value and what a
    mapping is (for the front matter, where translators meet it first)."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})" if detail else "true/false"
    if isinstance(value, dict):
        return "a mapping of keys to values" if detail else "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    return "empty" if value is None else "text"
